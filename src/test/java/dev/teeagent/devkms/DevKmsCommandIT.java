package dev.teeagent.devkms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.nsm.SimulatedNsm;
import dev.teeagent.testing.AgentJar;
import dev.teeagent.testing.NodeScript;
import dev.teeagent.verifier.TrustedRoot;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/** {@code java -jar tee-agent.jar dev-kms …} exactly as docs/custody.md shows it. */
class DevKmsCommandIT {
  private static final Pattern LISTENING = Pattern.compile("dev-kms listening on (http://\\S+)");
  @TempDir Path dir;

  @Test
  void theDocumentedCommandServesKeysThatOutliveAKill9() throws Exception {
    Path root = dir.resolve("root.pem");
    try (SimulatedNsm nsm = SimulatedNsm.start(Clock.systemUTC(), DevKmsFixture.RANDOM)) {
      Files.writeString(root, TrustedRoot.toPem(nsm.rootCertificate()));
    }
    List<String> args = documentedArgs();

    String keyId;
    Process first = AgentJar.command(Map.of(), args.toArray(String[]::new)).start();
    try (KmsClient kms = client(awaitListening(first))) {
      keyId = kms.createKey(r -> r.description("kept")).keyMetadata().keyId();
    } finally {
      first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    Process second = AgentJar.command(Map.of(), args.toArray(String[]::new)).start();
    try (KmsClient kms = client(awaitListening(second))) {
      assertThat(kms.describeKey(r -> r.keyId(keyId)).keyMetadata().description())
          .isEqualTo("kept");
    } finally {
      second.destroy();
      assertThat(second.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void helpSaysItIsADevelopmentToolNeverForProduction() throws Exception {
    Process help = AgentJar.command(Map.of(), "dev-kms", "--help").start();
    String text = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(help.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(text)
        .contains("DEVELOPMENT TOOL, NEVER FOR PRODUCTION")
        .contains("--data-dir")
        .contains("--trusted-root")
        .contains("SigV4");
  }

  /** The dev-kms line of docs/custody.md with its port, DIR and root.pem made local. */
  private List<String> documentedArgs() throws Exception {
    String doc = Files.readString(NodeScript.projectDir().resolve("docs/custody.md"));
    Matcher line = Pattern.compile("`java -jar target/tee-agent.jar (dev-kms [^`]+)`").matcher(doc);
    assertThat(line.find()).as("docs/custody.md shows the dev-kms command").isTrue();
    List<String> args = new ArrayList<>();
    for (String arg : Arrays.asList(line.group(1).split(" "))) {
      args.add(
          switch (arg) {
            case "4599" -> "0";
            case "DIR" -> dir.resolve("keys").toString();
            case "root.pem" -> dir.resolve("root.pem").toString();
            default -> arg;
          });
    }
    return args;
  }

  private static URI awaitListening(Process process) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      seen.append(line).append('\n');
      Matcher listening = LISTENING.matcher(line);
      if (listening.find()) {
        assertThat(line).contains("never for production");
        Thread drain = new Thread(() -> out.lines().forEach(l -> {}));
        drain.setDaemon(true);
        drain.start();
        return URI.create(listening.group(1));
      }
    }
    throw new AssertionError("dev-kms did not start:\n" + seen);
  }

  private static KmsClient client(URI endpoint) {
    return KmsClient.builder()
        .region(Region.US_EAST_1)
        .endpointOverride(endpoint)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }
}
