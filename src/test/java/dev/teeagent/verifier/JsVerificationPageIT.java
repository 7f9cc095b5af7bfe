package dev.teeagent.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.testing.AgentJar;
import dev.teeagent.testing.ExternalCommand;
import dev.teeagent.testing.HttpProbe;
import dev.teeagent.testing.NodeScript;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The verification page (verifier-js/page, built into one HTML file) in Debian's headless chromium
 * against the real jar running a simulated agent: VERIFIED with the right PCRs and root, from
 * another origin and from disk; NOT VERIFIED naming the failed check with wrong PCRs, no PCRs, the
 * AWS root, and behind a proxy that changes one byte; a pasted answer checked. The browser steps
 * are verifier-js/test/browser/page.browser.mjs; screenshots land in target/verify-page/.
 */
class JsVerificationPageIT {
  private static final ObjectMapper MAPPER = JsonMappers.strict();
  private static final Pattern PASSED = Pattern.compile("(?m)^# pass (\\d+)$");
  private static Process agent;
  private static String url;
  private static Path out;

  @BeforeAll
  static void serve() throws Exception {
    out = NodeScript.projectDir().resolve("target/verify-page");
    Files.createDirectories(out);
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    url = "http://127.0.0.1:" + port;
    agent =
        AgentJar.command(
                Map.of(),
                "serve",
                "--port",
                String.valueOf(port),
                "--tee-name",
                "page-it",
                "--operator",
                "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
                "--attestation",
                "simulated",
                "--simulated-root-out",
                out.resolve("simulated-root.pem").toString())
            .redirectOutput(out.resolve("agent.log").toFile())
            .start();
    HttpProbe.awaitOk(URI.create(url + "/api/v1/health"), Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    agent.destroy();
    agent.waitFor(30, TimeUnit.SECONDS);
  }

  @Test
  void thePageInHeadlessChromiumGivesEachVerdictAndNamesTheFailedCheck() throws Exception {
    Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    assertThat(chromium)
        .as("Debian's chromium is needed (apt-get install chromium; .ci/run installs it)")
        .isExecutable();
    Files.writeString(out.resolve("pcrs.json"), MAPPER.writeValueAsString(pcrsOfTheAgent()));
    ExternalCommand.Result result =
        ExternalCommand.of(
                "node",
                "--test",
                "--test-reporter=tap",
                "verifier-js/test/browser/page.browser.mjs")
            .env("AGENT_URL", url)
            .env("ROOT_FILE", out.resolve("simulated-root.pem").toString())
            .env("PCRS_FILE", out.resolve("pcrs.json").toString())
            .env("OUT_DIR", out.toString())
            .env("CHROMIUM", chromium.toString())
            .timeout(Duration.ofMinutes(4))
            .run();
    System.out.println(result.output());
    assertThat(result.exitCode()).as(result.output()).isZero();
    Matcher passed = PASSED.matcher(result.stdout());
    assertThat(passed.find()).as(result.stdout()).isTrue();
    assertThat(Integer.parseInt(passed.group(1))).isGreaterThanOrEqualTo(9);
    for (String state :
        new String[] {
          "1-verified-hosted",
          "6-wrong-pcrs",
          "7-no-pcrs",
          "8-aws-root",
          "9-tampering-proxy",
          "10-custody-required"
        }) {
      assertThat(out.resolve(state + ".png")).isNotEmptyFile();
    }
  }

  @Test
  void theJavaAndJsVerifiersGiveTheSameVerdictOnTheRunningAgent() throws Exception {
    ObjectNode pcrs = pcrsOfTheAgent();
    ObjectNode wrong = pcrs.deepCopy().put("PCR1", "11".repeat(48));
    String rootPem = Files.readString(out.resolve("simulated-root.pem"));
    record Input(String name, ObjectNode pcrs, String rootPem) {}
    List<Input> inputs =
        List.of(
            new Input("right PCRs and root", pcrs, rootPem),
            new Input("wrong PCR1", wrong, rootPem),
            new Input("no PCRs", MAPPER.createObjectNode(), rootPem),
            new Input("AWS root", pcrs, null));
    for (Input input : inputs) {
      ExpectedPcrs expected =
          ExpectedPcrs.parseJson(MAPPER.writeValueAsBytes(input.pcrs()), MAPPER);
      TrustedRoot root =
          input.rootPem() == null
              ? TrustedRoot.aws()
              : TrustedRoot.fromPem(input.rootPem().getBytes(StandardCharsets.US_ASCII));
      AgentVerifier.AgentReport java =
          new AgentVerifier(
                  new AttestationVerifier(root, Clock.systemUTC()),
                  HttpClient.newHttpClient(),
                  MAPPER,
                  new SecureRandom())
              .verify(
                  URI.create(url),
                  new AgentVerifier.Options(expected, Duration.ofMinutes(5), false));
      ObjectNode request =
          MAPPER.createObjectNode().put("url", url).put("root_pem", input.rootPem());
      request.set("pcrs", input.pcrs());
      JsonNode js =
          MAPPER.readTree(
              NodeScript.run(
                  Map.of(),
                  "verifier-js/cli/verify-agent.mjs",
                  MAPPER.writeValueAsString(request)));
      List<String> jsSteps = new ArrayList<>();
      js.get("steps")
          .forEach(
              step -> jsSteps.add(step.get("outcome").asText() + " " + step.get("check").asText()));
      List<String> javaSteps =
          java.report().steps().stream()
              .map(
                  step ->
                      (step.outcome() == VerificationReport.Outcome.SKIPPED && expected.isEmpty()
                              ? "failed"
                              : step.outcome().name().toLowerCase(Locale.ROOT))
                          + " "
                          + step.check().label())
              .toList();
      assertThat(jsSteps).as(input.name() + "\njs: " + js).isEqualTo(javaSteps);
      assertThat(js.get("verdict").asText().equals("VERIFIED"))
          .as(input.name())
          .isEqualTo(java.passed() && !expected.isEmpty());
    }
  }

  /** PCR0..2 as `make eif` writes them, taken from the agent's own (convenience) answer. */
  private static ObjectNode pcrsOfTheAgent() throws Exception {
    HttpResponse<byte[]> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url + "/api/v1/attestation?nonce=0x01")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    JsonNode pcrs = MAPPER.readTree(response.body()).get("pcrs");
    ObjectNode file = MAPPER.createObjectNode().put("HashAlgorithm", "Sha384 { ... }");
    for (String name : new String[] {"PCR0", "PCR1", "PCR2"}) {
      file.put(name, pcrs.get(name).asText());
    }
    return file;
  }
}
