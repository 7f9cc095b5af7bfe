package dev.teeagent.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.testing.ExternalCommand;
import dev.teeagent.testing.NodeScript;
import dev.teeagent.testing.TestAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The libsecp256k1 the Dockerfile puts into the image comes from enclave/fetch-secp256k1.sh (Debian
 * 12's package, pinned version and SHA-256). Here the script runs for real, and the agent on the
 * jlink runtime loads exactly the file it wrote (LD_LIBRARY_PATH stands in for the image's system
 * library directory) and signs its answers with it, whether or not the host has the library.
 */
class NativeSignerPackageIT {
  private static final ObjectMapper MAPPER = JsonMappers.strict();
  private static final String SCRIPT = "enclave/fetch-secp256k1.sh";
  private static final String LIBRARY = "libsecp256k1.so.1";

  private static Path fetched;
  private static ExternalCommand.Result fetch;
  private static RuntimeAgent agent;

  @BeforeAll
  static void fetchTheImagesLibraryAndStartTheAgentWithIt() throws Exception {
    RuntimeAgent.buildRuntime();
    fetched = Files.createTempDirectory("image-secp256k1");
    fetch = fetch(EnclaveFiles.path(SCRIPT), fetched);
    assertThat(fetch.exitCode()).as(fetch.output()).isZero();
    agent =
        RuntimeAgent.start(
            RuntimeAgent.RUNTIME,
            "native-signer",
            InitScriptTest.OPERATOR,
            Map.of("LD_LIBRARY_PATH", fetched.toString()));
  }

  @AfterAll
  static void stopTheAgent() throws Exception {
    if (agent != null) {
      agent.close();
    }
  }

  @Test
  void writesOnlyTheSharedLibraryUnderTheNameTheAgentLooksUp() throws Exception {
    try (Stream<Path> files = Files.list(fetched)) {
      assertThat(files.map(file -> file.getFileName().toString())).containsExactly(LIBRARY);
    }
    Path library = fetched.resolve(LIBRARY);
    assertThat(Files.isSymbolicLink(library)).isFalse();
    byte[] elfMagic = {0x7f, 'E', 'L', 'F'};
    assertThat(Arrays.copyOf(Files.readAllBytes(library), 4)).isEqualTo(elfMagic);
    assertThat(fetch.stdout()).contains("deb sha256 " + pinnedSha256());
  }

  @Test
  void theAgentOnTheJlinkRuntimeSignsItsAnswersWithTheImagesLibrary() throws Exception {
    String body = agent.await("/api/v1/config");
    assertThat(agent.log()).contains(NativeSigner.LOADED + "1)");
    assertThat(agent.memoryMaps()).contains(fetched.resolve(LIBRARY).toString());
    JsonNode config = MAPPER.readTree(body);
    String address = config.get("address").asText();
    assertThat(new TestAgent.Reply(200, body.getBytes()).verifiedSigner().checksummed())
        .isEqualTo(address);
    JsonNode verified =
        MAPPER.readTree(
            NodeScript.run("verify-signed.mjs", MAPPER.createArrayNode().add(body).toString()));
    assertThat(verified.get(0).get("recovered").asText()).isEqualTo(address);
  }

  @Test
  void refusesAPackageWhoseSha256IsNotThePinnedOne() throws Exception {
    String pinned = pinnedSha256();
    Path tampered = Files.createTempFile("fetch-secp256k1", ".sh");
    String other = (pinned.charAt(0) == '0' ? "1" : "0") + pinned.substring(1);
    Files.writeString(tampered, EnclaveFiles.read(SCRIPT).replace(pinned, other));
    Path out = Files.createTempDirectory("refused-secp256k1");

    ExternalCommand.Result refused = fetch(tampered, out);

    assertThat(refused.exitCode()).as(refused.output()).isNotZero();
    assertThat(refused.stderr()).contains("checksum mismatch");
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.toList()).isEmpty();
    }
  }

  private static ExternalCommand.Result fetch(Path script, Path out) {
    return ExternalCommand.of(List.of("sh", script.toString(), out.toString()))
        .timeout(Duration.ofMinutes(2))
        .run();
  }

  private static String pinnedSha256() {
    Matcher pin =
        Pattern.compile("\nLIBSECP256K1_SHA256=([0-9a-f]{64})\n")
            .matcher(EnclaveFiles.read(SCRIPT));
    assertThat(pin.find()).as("the pinned SHA-256 in " + SCRIPT).isTrue();
    return pin.group(1);
  }
}
