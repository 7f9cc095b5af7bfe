package dev.teeagent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.App;
import dev.teeagent.config.AgentSettings;
import dev.teeagent.config.AttestationSettings;
import dev.teeagent.config.PromptSettings;
import dev.teeagent.crypto.Address;
import dev.teeagent.crypto.SignedBodyVerifier;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.nsm.Nsm;
import dev.teeagent.verifier.TrustedRoot;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** The real agent on a free loopback port, with a real HTTP client, for integration tests. */
public final class TestAgent implements AutoCloseable {
  /** anvil's account #0, the documented development operator. */
  public static final String OPERATOR_KEY =
      "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

  public static final Address OPERATOR =
      Address.parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  public static final String TEE_NAME = "test-agent";

  private static final ObjectMapper MAPPER = JsonMappers.strict();
  private final App app;
  private final int port;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestAgent(App app) {
    this.app = app;
    this.port = app.port();
  }

  private TestAgent(int port) {
    this.app = null;
    this.port = port;
  }

  /**
   * A client of an agent already running on a loopback port, e.g. the packaged jar; {@link
   * #close()} leaves it running.
   */
  public static TestAgent remote(int port) {
    return new TestAgent(port);
  }

  public static TestAgent start() {
    return start(Clock.systemUTC(), new SecureRandom());
  }

  public static TestAgent start(Clock clock, SecureRandom random) {
    return new TestAgent(App.start(settings(), clock, random));
  }

  /** An agent with these attestation settings (rate limit, skew bound). */
  public static TestAgent start(AttestationSettings attestation, Clock clock, SecureRandom random) {
    return new TestAgent(App.start(settings(), attestation, clock, random));
  }

  /** An agent on a given NSM, e.g. a simulated one running on another clock than the agent. */
  public static TestAgent start(Nsm nsm, Clock clock, SecureRandom random) {
    return new TestAgent(
        App.start(settings(), AttestationSettings.simulated(), nsm, clock, random));
  }

  private static AgentSettings settings() {
    return new AgentSettings(TEE_NAME, OPERATOR, "127.0.0.1", 0);
  }

  /** The PEM of the simulated root this agent's documents chain to. */
  public String simulatedRootPem() {
    return TrustedRoot.toPem(
        app.simulatedRoot().orElseThrow(() -> new AssertionError("not in simulated mode")));
  }

  /** An agent with its own LLM limits (short timeouts for fault tests). */
  public static TestAgent start(PromptSettings prompt) {
    return new TestAgent(
        App.start(settings().withPrompt(prompt), Clock.systemUTC(), new SecureRandom()));
  }

  public Reply prompt(PromptBody body) {
    return post("/api/v1/prompt", body.json());
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public String address() {
    return app != null ? app.address() : get("/api/v1/config").json().get("address").asText();
  }

  /** A batch of operator commands to this agent, signed by the development operator. */
  public OperatorCommands operator() {
    return OperatorCommands.to(this);
  }

  public Reply get(String pathAndQuery) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery)).GET(), Map.of());
  }

  public Reply get(String pathAndQuery, Map<String, String> headers) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery)).GET(), headers);
  }

  public Reply post(String pathAndQuery, String json) {
    return post(pathAndQuery, json, Map.of());
  }

  public Reply post(String pathAndQuery, String json, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    Reply reply = send(request, headers);
    SignedAnswers.recordRequest("POST", pathAndQuery, json, reply.status(), reply.body());
    return reply;
  }

  private Reply send(HttpRequest.Builder request, Map<String, String> headers) {
    headers.forEach(request::header);
    try {
      HttpResponse<byte[]> response =
          client.send(
              request.timeout(Duration.ofSeconds(60)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      return new Reply(response.statusCode(), response.body(), response.headers());
    } catch (IOException e) {
      throw new AssertionError("request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A raw answer: status, the exact body bytes and the headers, with signature checks. */
  public record Reply(int status, byte[] body, HttpHeaders headers) {
    public Reply {
      String contentType = headers.firstValue("Content-Type").orElse(null);
      SignedAnswers.record(
          body,
          contentType == null
              ? SignedAnswers.Exchange.BODY_ONLY
              : SignedAnswers.Exchange.http(status, contentType));
    }

    /** A body received elsewhere (a log line, a file): its HTTP details are not known. */
    public Reply(int status, byte[] body) {
      this(status, body, HttpHeaders.of(Map.of(), (name, value) -> true));
    }

    /** The first value of a response header, or null. */
    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    public JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + text(), e);
      }
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** The signer recovered from the signature; fails unless it matches the signer member. */
    public Address verifiedSigner() {
      return new SignedBodyVerifier(MAPPER)
          .verify(body)
          .orElseThrow(() -> new AssertionError("signature does not verify: " + text()))
          .signer();
    }

    public String errorCode() {
      return json().path("error").path("code").asText(null);
    }
  }

  @Override
  public void close() {
    if (app != null) {
      app.close();
    }
  }
}
