package dev.teeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.testing.AgentJar;
import dev.teeagent.testing.HttpProbe;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** End to end with the packaged jar: {@code serve} (simulated) and {@code verify --url}. */
class VerifyCommandIT {
  private static final ObjectMapper MAPPER = JsonMappers.strict();
  private static Process agent;
  private static String url;
  private static Path dir;
  private static Path simulatedRoot;

  @BeforeAll
  static void serve() throws Exception {
    dir = Files.createTempDirectory("verify-it");
    simulatedRoot = dir.resolve("simulated-root.pem");
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    url = "http://127.0.0.1:" + port;
    agent =
        java(
                "serve",
                "--port",
                String.valueOf(port),
                "--tee-name",
                "verify-it",
                "--operator",
                "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
                "--attestation",
                "simulated",
                "--simulated-root-out",
                simulatedRoot.toString())
            .redirectOutput(dir.resolve("agent.log").toFile())
            .start();
    awaitAgent();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    agent.destroy();
    agent.waitFor(30, TimeUnit.SECONDS);
  }

  record Run(int exit, String output) {}

  private static ProcessBuilder java(String... args) {
    return AgentJar.command(java.util.Map.of(), args);
  }

  private static Run run(String... args) throws Exception {
    Process process = java(args).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), output);
  }

  @Test
  void verifyUrlPassesEveryStepWithTheSimulatedRootButIsNotVerifiedWithoutPcrs() throws Exception {
    Run unpinned = run("verify", "--url", url, "--root", simulatedRoot.toString());
    assertThat(unpinned.exit()).as(unpinned.output()).isEqualTo(1);
    assertThat(unpinned.output())
        .contains("ok    user data:")
        .contains("NOT VERIFIED: the code is not pinned");
    Run run = run("verify", "--url", url, "--root", simulatedRoot.toString(), "--allow-any-code");
    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output())
        .contains("ok    fetch:")
        .contains("ok    signature:")
        .contains("ok    chain:")
        .contains("ok    freshness:")
        .contains("ok    nonce:")
        .contains("ok    agent key:")
        .contains("ok    user data:")
        .contains("VERIFIED (any code")
        .contains("\"tee_name\" : \"verify-it\"");
  }

  @Test
  void verifyUrlWithTheAgentsOwnPcrsFilePassesAndAWrongPcrFailsNamingIt() throws Exception {
    JsonNode pcrs = get("/api/v1/attestation?nonce=0x01").get("pcrs");
    Path file = dir.resolve("pcrs.json");
    Files.writeString(
        file,
        "{\"HashAlgorithm\": \"Sha384 { ... }\", \"PCR0\": "
            + pcrs.get("PCR0")
            + ", \"PCR1\": "
            + pcrs.get("PCR1")
            + ", \"PCR2\": "
            + pcrs.get("PCR2")
            + "}");
    Run good =
        run("verify", "--url", url, "--root", simulatedRoot.toString(), "--pcrs", file.toString());
    assertThat(good.exit()).as(good.output()).isZero();
    assertThat(good.output()).contains("ok    pcrs: PCR0, PCR1, PCR2 as expected");

    String wrong = "11".repeat(48);
    Run bad =
        run(
            "verify",
            "--url",
            url,
            "--root",
            simulatedRoot.toString(),
            "--pcrs",
            file.toString(),
            "--pcr1",
            wrong);
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.output())
        .contains("FAIL  pcrs: PCR1 is " + pcrs.get("PCR1").asText() + ", expected " + wrong)
        .contains("NOT VERIFIED: 1 check(s) failed");
  }

  @Test
  void verifyUrlAgainstTheAwsRootFailsAtTheChain() throws Exception {
    Run run = run("verify", "--url", url);
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.output())
        .contains("FAIL  chain: cabundle[0] (CN=simulated.nitro-enclaves")
        .contains("is not the trusted AWS Nitro Enclaves root");
  }

  @Test
  void theSimulatedRootFileIsAPemCertificate() throws Exception {
    assertThat(Files.readString(simulatedRoot))
        .startsWith("-----BEGIN CERTIFICATE-----\n")
        .endsWith("-----END CERTIFICATE-----\n");
  }

  private static JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<byte[]> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    return MAPPER.readTree(response.body());
  }

  private static void awaitAgent() throws InterruptedException {
    HttpProbe.awaitOk(URI.create(url + "/api/v1/health"), Duration.ofSeconds(60));
  }
}
