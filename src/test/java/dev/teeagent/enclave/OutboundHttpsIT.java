package dev.teeagent.enclave;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.teeagent.crypto.Keccak;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.testing.AgentJar;
import dev.teeagent.testing.ExternalCommand;
import dev.teeagent.testing.FakeLlmProvider;
import dev.teeagent.testing.NodeScript;
import dev.teeagent.testing.PromptBody;
import dev.teeagent.testing.TestAgent;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Outbound HTTPS on the enclave's jlink runtime: the agent runs on a copy of build/runtime whose CA
 * certificates (lib/security/cacerts, the only trust store the agent uses) also hold a throw-away
 * test CA, and calls an LLM provider (WireMock over TLS on loopback) that the operator configured
 * through the real signed {@code POST /variables} (the operator CLI, as in docs/operators.md).
 * Every proxy variable points at a port where nothing listens, which must change nothing.
 */
class OutboundHttpsIT {
  private static final ObjectMapper MAPPER = JsonMappers.strict();
  private static final Path CACERTS = Path.of("lib", "security", "cacerts");
  private static final String TEST_CA_ALIAS = "tee-agent-throw-away-test-ca";
  private static final String QUESTION = "What is the capital of France?";
  private static final char[] KEY_STORE_PASSWORD = "throw-away".toCharArray();
  private static final List<String> PROXY_VARIABLES =
      List.of("https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY");

  private static Path work;
  private static String builtCacertsSha256;
  private static WireMockServer trustedProvider;
  private static WireMockServer untrustedProvider;
  private static String deadProxy;
  private static RuntimeAgent agent;

  @BeforeAll
  static void startProvidersAndTheAgentOnARuntimeThatTrustsTheTestCa() throws Exception {
    RuntimeAgent.buildRuntime();
    builtCacertsSha256 = sha256(RuntimeAgent.RUNTIME.resolve(CACERTS));
    work = Files.createTempDirectory("outbound-https");
    Path runtime = work.resolve("runtime");
    ExternalCommand.Result copy =
        ExternalCommand.of("cp", "-a", RuntimeAgent.RUNTIME.toString(), runtime.toString()).run();
    assertThat(copy.exitCode()).as(copy.output()).isZero();

    ThrowAwayCa testCa = ThrowAwayCa.create("TEE Agent test CA");
    Path caPem = testCa.writeRootPem(work.resolve("test-ca.pem"));
    ExternalCommand.Result imported = keytool(runtime, "-importcert", "-noprompt", "-file", caPem);
    assertThat(imported.exitCode()).as(imported.output()).isZero();

    trustedProvider =
        provider(testCa.writeServerKeyStore(work.resolve("trusted.p12"), KEY_STORE_PASSWORD));
    ThrowAwayCa unknownCa = ThrowAwayCa.create("Unknown CA");
    untrustedProvider =
        provider(unknownCa.writeServerKeyStore(work.resolve("untrusted.p12"), KEY_STORE_PASSWORD));

    try (ServerSocket socket = new ServerSocket(0)) {
      deadProxy = "http://127.0.0.1:" + socket.getLocalPort();
    }
    Map<String, String> env = new LinkedHashMap<>();
    PROXY_VARIABLES.forEach(name -> env.put(name, deadProxy));
    agent = RuntimeAgent.start(runtime, "https-test", TestAgent.OPERATOR.checksummed(), env);
    agent.await("/api/v1/config");
  }

  @AfterAll
  static void stopEverything() throws Exception {
    if (agent != null) {
      agent.close();
    }
    for (WireMockServer server : new WireMockServer[] {trustedProvider, untrustedProvider}) {
      if (server != null) {
        server.stop();
      }
    }
  }

  @Test
  void trustsTheTestCaOnlyInTheCopyAndLeavesTheBuiltRuntimeAlone() throws Exception {
    assertThat(sha256(RuntimeAgent.RUNTIME.resolve(CACERTS))).isEqualTo(builtCacertsSha256);
    ExternalCommand.Result built = keytool(RuntimeAgent.RUNTIME, "-list");
    assertThat(built.exitCode()).as(built.output()).isNotZero();
    assertThat(built.output()).contains("<" + TEST_CA_ALIAS + "> does not exist");
    ExternalCommand.Result copied = keytool(work.resolve("runtime"), "-list");
    assertThat(copied.exitCode()).as(copied.output()).isZero();
    assertThat(copied.stdout()).contains(TEST_CA_ALIAS).contains("trustedCertEntry");
  }

  @Test
  void answersASignedPromptFromAnHttpsProviderWhoseCertificateTheRuntimeTrusts() throws Exception {
    String baseUrl = "https://localhost:" + trustedProvider.httpsPort() + "/api/v1";
    configureProvider(baseUrl);
    trustedProvider.resetRequests();

    TestAgent.Reply reply = agent.post("/api/v1/prompt", PromptBody.ask(QUESTION).json());

    assertThat(reply.status()).as(reply.text() + "\n" + agent.log()).isEqualTo(200);
    String address = MAPPER.readTree(agent.get("/api/v1/config").body()).get("address").asText();
    assertThat(reply.verifiedSigner().checksummed()).isEqualTo(address);
    JsonNode answer = reply.json();
    assertThat(answer.at("/response/content").asText())
        .isEqualTo("The capital of France is Paris.");
    assertThat(answer.get("provider").asText()).isEqualTo(baseUrl);

    assertThat(agent.log()).contains("llm localhost attempt 1: HTTP 200");
    List<LoggedRequest> received = trustedProvider.findAll(anyRequestedFor(anyUrl()));
    assertThat(received).hasSize(1);
    LoggedRequest sent = received.getFirst();
    assertThat(sent.getUrl()).isEqualTo(FakeLlmProvider.PATH);
    assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer " + FakeLlmProvider.API_KEY);
    assertThat(answer.get("provider_request_hash").asText())
        .isEqualTo(Keccak.hashHex(sent.getBody()));
    JsonNode checked =
        MAPPER.readTree(
            NodeScript.run(
                "verify-prompt.mjs",
                MAPPER.writeValueAsString(
                    MAPPER
                        .createArrayNode()
                        .add(MAPPER.createObjectNode().put("answer", reply.text())))));
    assertThat(checked.get(0).get("recovered").asText()).isEqualTo(address);
    assertThat(checked.get(0).get("rebuilt_request_hash").asText())
        .isEqualTo(answer.get("provider_request_hash").asText());
  }

  @Test
  void refusesWithLlmTlsFailedWhenTheProvidersCertificateIsNotInTheRuntimesCacerts()
      throws Exception {
    configureProvider("https://localhost:" + untrustedProvider.httpsPort() + "/api/v1");
    untrustedProvider.resetRequests();

    TestAgent.Reply reply = agent.post("/api/v1/prompt", PromptBody.ask(QUESTION).json());

    assertThat(reply.status()).as(reply.text()).isEqualTo(502);
    assertThat(reply.errorCode()).isEqualTo("llm_tls_failed");
    String address = MAPPER.readTree(agent.get("/api/v1/config").body()).get("address").asText();
    assertThat(reply.verifiedSigner().checksummed()).isEqualTo(address);
    assertThat(reply.text()).doesNotContain(FakeLlmProvider.API_KEY);
    assertThat(untrustedProvider.findAll(anyRequestedFor(anyUrl()))).isEmpty();
  }

  /** The calls above went straight to the provider although every proxy variable was set. */
  @Test
  void ranWithEveryProxyVariablePointingAtAPortWhereNothingListens() throws Exception {
    String environ =
        Files.readString(Path.of("/proc", String.valueOf(agent.pid()), "environ"))
            .replace('\0', '\n');
    for (String name : PROXY_VARIABLES) {
      assertThat(environ).contains("\n" + name + "=" + deadProxy + "\n");
    }
    assertThat(agent.log())
        .doesNotContain(deadProxy.substring("http://".length()))
        .doesNotContain(" ERROR ")
        .doesNotContain(" WARN ");
  }

  /** {@code operator set} with the operator's key, trusting the agent's simulated root. */
  private static void configureProvider(String baseUrl) throws Exception {
    Path apiKey = Files.writeString(work.resolve("llm-api-key"), FakeLlmProvider.API_KEY);
    Path operatorKey = Files.writeString(work.resolve("operator.key"), TestAgent.OPERATOR_KEY);
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                AgentJar.path().toString(),
                "operator",
                "set",
                "--url",
                agent.baseUrl(),
                "--root",
                agent.simulatedRoot().toString(),
                "--key-file",
                operatorKey.toString()));
    command.addAll(
        List.of(
            "--name",
            "llm_api_key",
            "--value-file",
            apiKey.toString(),
            "--hidden",
            "--name",
            "llm_base_url",
            "--value",
            baseUrl,
            "--name",
            "llm_model",
            "--value",
            FakeLlmProvider.MODEL));
    ExternalCommand.Result set = ExternalCommand.of(command).timeout(Duration.ofMinutes(1)).run();
    assertThat(set.exitCode()).as(set.output()).isZero();
    assertThat(set.stderr()).contains("accepted: nonce");
  }

  /** WireMock over TLS only, with this key store's certificate, answering as OpenAI does. */
  private static WireMockServer provider(Path keyStore) {
    WireMockServer server =
        new WireMockServer(
            options()
                .bindAddress("127.0.0.1")
                .httpDisabled(true)
                .dynamicHttpsPort()
                .keystorePath(keyStore.toString())
                .keystoreType("PKCS12")
                .keystorePassword(new String(KEY_STORE_PASSWORD))
                .keyManagerPassword(new String(KEY_STORE_PASSWORD)));
    server.start();
    server.stubFor(
        post(urlEqualTo(FakeLlmProvider.PATH))
            .willReturn(FakeLlmProvider.json(FakeLlmProvider.fixture("openai-text.json"))));
    return server;
  }

  /** The runtime's own keytool on its cacerts (the JDK's default password, "changeit"). */
  private static ExternalCommand.Result keytool(Path runtime, Object... arguments) {
    List<String> command =
        new ArrayList<>(
            List.of(
                runtime.resolve("bin/keytool").toString(),
                "-keystore",
                runtime.resolve(CACERTS).toString(),
                "-storepass",
                "changeit",
                "-alias",
                TEST_CA_ALIAS));
    for (Object argument : arguments) {
      command.add(argument.toString());
    }
    return ExternalCommand.of(command).run();
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
