package dev.teeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.testing.AgentJar;
import dev.teeagent.testing.HttpProbe;
import dev.teeagent.testing.NodeScript;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged jar, run as a user runs it. */
class ServeCommandIT {
  private static final String OPERATOR = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

  private static ProcessBuilder java(Map<String, String> env, String... args) {
    return AgentJar.command(env, args);
  }

  private static String runToExit(ProcessBuilder builder, int expectedExit) throws Exception {
    Process process = builder.start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(output).isEqualTo(expectedExit);
    return output;
  }

  @Test
  void refusesToStartWithAnOperatorWithAWrongChecksumAndNamesTheSetting() throws Exception {
    String output =
        runToExit(
            java(
                Map.of(),
                "serve",
                "--port",
                "0",
                "--tee-name",
                "x",
                "--operator",
                "0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266"),
            2);
    assertThat(output).contains("--operator / OPERATOR_ADDRESS").contains("checksum");
  }

  @Test
  void refusesToSwitchPlainHttpOffWithoutHttpsOrWithTheLocalPcrsFile() throws Exception {
    Map<String, String> env = Map.of("TEE_NAME", "x", "OPERATOR_ADDRESS", OPERATOR);
    assertThat(runToExit(java(env, "serve", "--port", "0", "--no-plain-http"), 2))
        .contains("--no-plain-http: give --https-port N too");
    assertThat(
            runToExit(
                java(
                    env,
                    "serve",
                    "--https-port",
                    "0",
                    "--no-plain-http",
                    "--simulated-pcrs-out",
                    "pcrs.json"),
                2))
        .contains("drop --no-plain-http");
  }

  @Test
  void refusesNitroAttestationOutsideAnEnclaveNamingTheFlag() throws Exception {
    String output =
        runToExit(
            java(
                Map.of("TEE_NAME", "x", "OPERATOR_ADDRESS", OPERATOR),
                "serve",
                "--port",
                "0",
                "--attestation",
                "nitro"),
            2);
    assertThat(output).contains("--attestation nitro: /dev/nsm does not exist");
  }

  @Test
  void refusesToStartWithAnEmptyTeeNameFromTheEnvironment() throws Exception {
    String output =
        runToExit(
            java(Map.of("TEE_NAME", "", "OPERATOR_ADDRESS", OPERATOR), "serve", "--port", "0"), 2);
    assertThat(output).contains("--tee-name / TEE_NAME");
  }

  @Test
  void refusesToStartWithAnUnreadableLlmTimeoutAndNamesTheFlag() throws Exception {
    String output =
        runToExit(
            java(
                Map.of("TEE_NAME", "x", "OPERATOR_ADDRESS", OPERATOR),
                "serve",
                "--port",
                "0",
                "--llm-timeout",
                "forever"),
            2);
    assertThat(output).contains("--llm-timeout").contains("duration");
  }

  @Test
  void aBusyPortIsOneSentenceNamingTheFlagAndThePortWithoutAStackTrace() throws Exception {
    Map<String, String> env = Map.of("TEE_NAME", "x", "OPERATOR_ADDRESS", OPERATOR);
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      assertThat(runToExit(java(env, "serve", "--port", String.valueOf(port)), 2))
          .isEqualTo(
              "tee-agent serve: port "
                  + port
                  + " on 127.0.0.1 is already in use (another agent still running?): stop that"
                  + " program, or choose another port with --port\n");
      assertThat(
              runToExit(java(env, "serve", "--port", "0", "--https-port", String.valueOf(port)), 2))
          .isEqualTo(
              "tee-agent serve: port "
                  + port
                  + " on 127.0.0.1 is already in use (another agent still running?): stop that"
                  + " program, or choose another port with --https-port\n");
    }
  }

  @Test
  void servesSignedConfigFromEnvironmentSettingsAndStopsCleanlyOnSigterm() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path log = Files.createTempFile("agent", ".log");
    Process process =
        java(
                Map.of("TEE_NAME", "env-agent", "OPERATOR_ADDRESS", OPERATOR.toLowerCase()),
                "serve",
                "--port",
                String.valueOf(port))
            .redirectOutput(log.toFile())
            .start();
    try {
      String body = awaitConfig(port);
      assertThat(body)
          .contains("\"tee_name\":\"env-agent\"")
          .contains("\"operator\":\"" + OPERATOR + "\"");
      ObjectMapper mapper = JsonMappers.strict();
      JsonNode verified =
          mapper.readTree(
              NodeScript.run("verify-signed.mjs", mapper.createArrayNode().add(body).toString()));
      String address = mapper.readTree(body).get("address").asText();
      assertThat(verified.get(0).get("recovered").asText()).isEqualTo(address);
      process.destroy(); // SIGTERM
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(Files.readString(log)).contains("GET /api/v1/config 200");
    } finally {
      process.destroyForcibly();
    }
  }

  private static String awaitConfig(int port) throws InterruptedException {
    return HttpProbe.awaitOk(
        URI.create("http://127.0.0.1:" + port + "/api/v1/config"), Duration.ofSeconds(30));
  }
}
