package dev.teeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.App;
import dev.teeagent.config.AgentSettings;
import dev.teeagent.config.ListenerSettings;
import dev.teeagent.crypto.SignedBodyVerifier;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.testing.ExternalCommand;
import dev.teeagent.testing.NodeScript;
import dev.teeagent.testing.TestAgent;
import dev.teeagent.testing.TlsInterceptor;
import dev.teeagent.tls.PinningTrustManager;
import dev.teeagent.tls.SpkiPin;
import dev.teeagent.verifier.TrustedRoot;
import dev.teeagent.verifier.UserDataPreimage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 on loopback with real TLS: the agent's HTTPS listener, its attested key checked by
 * openssl, curl and Node independently, signed answers identical over both listeners, and a man in
 * the middle (its own TLS key, relaying the agent's genuine answers) refused by verify, the
 * operator CLI, pinned curl and the Node client, each naming the mismatch.
 */
class AttestedHttpsIT {
  private static final ObjectMapper MAPPER = JsonMappers.strict();
  private static App app;
  private static TlsInterceptor interceptor;
  private static String attestedPin;
  private static String https;
  private static String plain;
  @TempDir static Path dir;
  private static Path root;
  private static Path keyFile;

  @BeforeAll
  static void start() throws Exception {
    app =
        App.start(
            new AgentSettings(TestAgent.TEE_NAME, TestAgent.OPERATOR, "127.0.0.1", 0)
                .withListeners(ListenerSettings.load(0, false)),
            Clock.systemUTC(),
            new SecureRandom());
    https = "https://127.0.0.1:" + app.httpsPort().getAsInt();
    plain = "http://127.0.0.1:" + app.port();
    root = Files.writeString(dir.resolve("root.pem"), TrustedRoot.toPem(app.simulatedRoot().get()));
    keyFile = Files.writeString(dir.resolve("operator.key"), TestAgent.OPERATOR_KEY + "\n");
    attestedPin =
        TestAgent.remote(app.port()).get("/api/v1/config").json().get("tls_spki_sha256").asText();
    interceptor = new TlsInterceptor(app.httpsPort().getAsInt());
  }

  @AfterAll
  static void stop() throws Exception {
    interceptor.close();
    app.close();
  }

  private static CliSentencesTest.Run cli(String... args) {
    return CliSentencesTest.run(args);
  }

  private static ExternalCommand.Result run(String... command) {
    return ExternalCommand.of(command).in(NodeScript.projectDir()).run();
  }

  private static String sh(String script) {
    ExternalCommand.Result result = run("bash", "-c", script);
    assertThat(result.exitCode()).as(result.output()).isZero();
    return result.stdout().strip();
  }

  private static int port(String url) {
    return URI.create(url).getPort();
  }

  @Test
  void theAttestedTlsKeyIsTheOneOpensslSeesOverTls13() {
    JsonNode attestation =
        TestAgent.remote(app.port()).get("/api/v1/attestation?nonce=0x01").json();
    assertThat(attestation.get("user_data_preimage").get("tls_spki_sha256").asText())
        .isEqualTo(attestedPin)
        .matches("0x[0-9a-f]{64}");

    String seen =
        sh(
            "openssl s_client -connect 127.0.0.1:"
                + port(https)
                + " </dev/null 2>/dev/null | openssl x509 -pubkey -noout"
                + " | openssl pkey -pubin -outform der | openssl dgst -sha256 -r | cut -d' ' -f1");
    assertThat("0x" + seen).isEqualTo(attestedPin);
    ExternalCommand.Result session =
        run("openssl", "s_client", "-connect", "127.0.0.1:" + port(https), "-brief");
    assertThat(session.output()).contains("TLSv1.3");
  }

  @Test
  void tls12GetsOnlyForwardSecretAeadSuitesAndOlderProtocolsNone() {
    String address = "127.0.0.1:" + port(https);
    assertThat(run("openssl", "s_client", "-connect", address, "-tls1_2", "-brief").output())
        .contains("ECDHE-ECDSA")
        .containsAnyOf("GCM", "CHACHA20");
    assertThat(
            run(
                    "openssl",
                    "s_client",
                    "-connect",
                    address,
                    "-tls1_2",
                    "-cipher",
                    "ECDHE-ECDSA-AES128-SHA",
                    "-brief")
                .exitCode())
        .isNotZero();
    assertThat(run("openssl", "s_client", "-connect", address, "-tls1_1", "-brief").exitCode())
        .isNotZero();
  }

  @Test
  void pinnedCurlAndNodeGetSignedAnswersThatVerify() throws Exception {
    String curlPin = SpkiPin.curlPin(attestedPin);
    ExternalCommand.Result curl =
        run("curl", "-sS", "--insecure", "--pinnedpubkey", curlPin, https + "/api/v1/config");
    assertThat(curl.exitCode()).as(curl.stderr()).isZero();
    JsonNode recovered =
        MAPPER.readTree(
            NodeScript.run("verify-signed.mjs", MAPPER.writeValueAsString(List.of(curl.stdout()))));
    assertThat(recovered.get(0).get("recovered").asText()).isEqualTo(app.address());

    ExternalCommand.Result node =
        run(
            "node",
            "src/test/js/https-pinned.mjs",
            "127.0.0.1",
            String.valueOf(port(https)),
            "/api/v1/config",
            curlPin.substring("sha256//".length()));
    assertThat(node.exitCode()).as(node.stderr()).isZero();
    JsonNode checked = MAPPER.readTree(node.stdout());
    assertThat(checked.get("recovered").asText()).isEqualTo(app.address());
    assertThat(checked.get("body").get("tls_spki_sha256").asText()).isEqualTo(attestedPin);
  }

  @Test
  void aSignedAnswerIsTheSameOverHttpsAsOverPlainHttp() throws Exception {
    PinningTrustManager pins = new PinningTrustManager();
    pins.pinTo(attestedPin);
    HttpClient client =
        HttpClient.newBuilder().sslContext(pins.sslContext(new SecureRandom())).build();
    List<JsonNode> bodies = new ArrayList<>();
    for (String base : List.of(plain, https)) {
      HttpResponse<byte[]> response =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/variables"))
                  .header("Content-Type", "application/json")
                  .header("X-Client-Nonce", "00112233445566778899aabbccddeeff")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"not\":\"a batch\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(response.statusCode()).isEqualTo(400);
      SignedBodyVerifier.Verified verified =
          new SignedBodyVerifier(MAPPER).verify(response.body()).orElseThrow();
      assertThat(verified.signer().checksummed()).isEqualTo(app.address());
      JsonNode recovered =
          MAPPER.readTree(
              NodeScript.run(
                  "verify-signed.mjs",
                  MAPPER.writeValueAsString(
                      List.of(
                          new String(response.body(), java.nio.charset.StandardCharsets.UTF_8)))));
      assertThat(recovered.get(0).get("recovered").asText()).isEqualTo(app.address());
      com.fasterxml.jackson.databind.node.ObjectNode body = verified.body().deepCopy();
      // What differs between two requests by design: the time, the signature, the request's id.
      assertThat(body.path("request_id").asText()).isNotEmpty();
      body.remove(List.of("timestamp", "signature", "request_id"));
      bodies.add(body);
    }
    assertThat(bodies.get(1)).isEqualTo(bodies.get(0));
    assertThat(bodies.get(0).get("request").get("body_hash").asText()).startsWith("0x");
    assertThat(bodies.get(0).get("client_nonce").asText())
        .isEqualTo("00112233445566778899aabbccddeeff");
  }

  @Test
  void theListenersShareTheHttpLimitsAndSignedRefusals() {
    for (String base : List.of(plain, https)) {
      ExternalCommand.Result huge =
          run(
              "curl",
              "-sS",
              "--insecure",
              "--pinnedpubkey",
              SpkiPin.curlPin(attestedPin),
              "-D",
              "-",
              "-H",
              "X-Big: " + "a".repeat(20_000),
              base + "/api/v1/config");
      assertThat(huge.stdout())
          .as(base)
          .startsWith("HTTP/1.1 431")
          .doesNotContainIgnoringCase("Server:");
      assertThat(huge.stdout()).contains("\"signature\"");
    }
  }

  @Test
  void verifyOverHttpsPinsTheConnectionAndPrintsTheCurlPin() {
    CliSentencesTest.Run run =
        cli("verify", "--url", https, "--root", root.toString(), "--allow-any-code");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err())
        .contains("tls key")
        .contains("curl --pinnedpubkey '" + SpkiPin.curlPin(attestedPin) + "'");
    assertThat(run.err().strip())
        .as("the verdict stays the last line")
        .endsWith("VERIFIED (any code: no PCRs pinned, as --allow-any-code asked)");
    assertThat(run.out()).contains("\"tls_spki_sha256\" : \"" + attestedPin + "\"");
  }

  @Test
  void theOperatorCliSendsItsBatchOverThePinnedConnection() {
    CliSentencesTest.Run run =
        cli(
            "operator",
            "set",
            "--url",
            https,
            "--root",
            root.toString(),
            "--key-file",
            keyFile.toString(),
            "--name",
            "https_note",
            "--value",
            "over TLS");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(
            TestAgent.remote(app.port())
                .get("/api/v1/variables/https_note")
                .json()
                .get("variable")
                .get("value")
                .asText())
        .isEqualTo("over TLS");
  }

  @Test
  void aManInTheMiddleIsRefusedByVerifyOperatorCurlAndNode() {
    String middle = "https://127.0.0.1:" + interceptor.port();

    CliSentencesTest.Run verify =
        cli("verify", "--url", middle, "--root", root.toString(), "--allow-any-code");
    assertThat(verify.exit()).isEqualTo(1);
    assertThat(verify.err())
        .contains("tls key")
        .contains("sha256 " + interceptor.spkiSha256())
        .contains("is not the attested tls_spki_sha256 " + attestedPin)
        .contains("NOT VERIFIED");

    CliSentencesTest.Run operator =
        cli(
            "operator",
            "set",
            "--url",
            middle,
            "--root",
            root.toString(),
            "--key-file",
            keyFile.toString(),
            "--name",
            "mitm_note",
            "--value",
            "must not arrive");
    assertThat(operator.exit()).isEqualTo(2);
    assertThat(operator.err()).contains("is not the attested tls_spki_sha256 " + attestedPin);
    assertThat(TestAgent.remote(app.port()).get("/api/v1/variables/mitm_note").status())
        .isEqualTo(404);

    ExternalCommand.Result curl =
        run(
            "curl",
            "-sS",
            "--insecure",
            "--pinnedpubkey",
            SpkiPin.curlPin(attestedPin),
            middle + "/api/v1/config");
    assertThat(curl.exitCode()).isEqualTo(90);
    assertThat(curl.stderr()).containsIgnoringCase("public key does not match pinned");

    ExternalCommand.Result node =
        run(
            "node",
            "src/test/js/https-pinned.mjs",
            "127.0.0.1",
            String.valueOf(interceptor.port()),
            "/api/v1/config",
            SpkiPin.curlPin(attestedPin).substring("sha256//".length()));
    assertThat(node.exitCode()).isEqualTo(3);
    assertThat(node.stderr()).contains("pin mismatch");
  }

  @Test
  void aClientPinnedOnceRefusesAnotherKeyInTheHandshakeBeforeSendingAnything() throws Exception {
    AgentClient client = new AgentClient("https://127.0.0.1:" + interceptor.port(), MAPPER);
    assertThatThrownBy(() -> client.get("/config"))
        .isInstanceOf(CliFailure.class)
        .hasMessageContaining("before the agent's attestation names its TLS key");

    client.pinTo(new UserDataPreimage("t", "o", "a", "s", attestedPin));

    assertThatThrownBy(() -> client.get("/config"))
        .isInstanceOf(CliFailure.class)
        .hasMessageContaining("sha256 " + interceptor.spkiSha256())
        .hasMessageContaining("is not the attested tls_spki_sha256 " + attestedPin);
  }

  @Test
  void anHttpsUrlNeverFallsBackToPlainHttp() {
    CliSentencesTest.Run run =
        cli(
            "verify",
            "--url",
            "https://127.0.0.1:" + app.port(),
            "--root",
            root.toString(),
            "--allow-any-code");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("TLS handshake").doesNotContain("VERIFIED");
  }

  @Test
  void theJsVerifierChecksTheNewPreimageMemberAgainstConfigAndShowsThePin() throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode input = MAPPER.createObjectNode();
    input.put("url", plain);
    input.put("root_pem", TrustedRoot.toPem(app.simulatedRoot().get()));
    JsonNode result =
        MAPPER.readTree(
            NodeScript.run(
                java.util.Map.of(), "verifier-js/cli/verify-agent.mjs", input.toString()));

    JsonNode userData = null;
    for (JsonNode step : result.get("steps")) {
      if (step.get("check").asText().equals("pcrs")) {
        continue; // no expected PCRs given here: the code is not pinned, as the step says
      }
      assertThat(step.get("outcome").asText()).as(step.toString()).isEqualTo("passed");
      if (step.get("check").asText().equals("user data")) {
        userData = step;
      }
    }
    assertThat(userData).isNotNull();
    assertThat(userData.get("detail").asText())
        .contains("TLS key " + attestedPin)
        .contains(SpkiPin.curlPin(attestedPin));
  }

  @Test
  void withPlainHttpSwitchedOffTheAgentAnswersOnlyOverHttps() {
    try (App httpsOnly =
        App.start(
            new AgentSettings(TestAgent.TEE_NAME, TestAgent.OPERATOR, "127.0.0.1", 0)
                .withListeners(ListenerSettings.load(0, true)),
            Clock.systemUTC(),
            new SecureRandom())) {
      int port = httpsOnly.httpsPort().getAsInt();
      Path ownRoot = dir.resolve("https-only-root.pem");
      writeRoot(httpsOnly, ownRoot);

      CliSentencesTest.Run verify =
          cli(
              "verify",
              "--url",
              "https://127.0.0.1:" + port,
              "--root",
              ownRoot.toString(),
              "--allow-any-code");
      assertThat(verify.exit()).as(verify.err()).isZero();
      // The one port there is speaks TLS only: a plain request gets no HTTP answer.
      ExternalCommand.Result plainRequest =
          run("curl", "-sS", "--max-time", "10", "http://127.0.0.1:" + port + "/api/v1/config");
      assertThat(plainRequest.stdout()).doesNotContain("\"signature\"");
      assertThat(httpsOnly.port()).isEqualTo(port);
    }
  }

  private static void writeRoot(App agent, Path file) {
    try {
      Files.writeString(file, TrustedRoot.toPem(agent.simulatedRoot().get()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void verifyOverPlainHttpStillPassesAndNamesThePinForHttps() {
    CliSentencesTest.Run run =
        cli("verify", "--url", plain, "--root", root.toString(), "--allow-any-code");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).doesNotContain("tls key").contains(SpkiPin.curlPin(attestedPin));
  }
}
