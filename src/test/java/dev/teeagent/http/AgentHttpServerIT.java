package dev.teeagent.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teeagent.crypto.Keccak;
import dev.teeagent.crypto.SignedBodyVerifier;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.testing.LogCapture;
import dev.teeagent.testing.SignedAnswers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class AgentHttpServerIT {
  private final SigningKey key = TestRoutes.freshKey();
  private final HttpClient client = HttpClient.newHttpClient();
  private final TestRoutes.Gate slowGate = new TestRoutes.Gate();
  private AgentHttpServer server;
  private int port;
  private String base;

  @BeforeEach
  void start() {
    server = TestRoutes.server(key, slowGate);
    port = server.start("127.0.0.1", 0);
    base = "http://127.0.0.1:" + port + "/api/v1";
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
    HttpResponse<byte[]> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    SignedAnswers.record(response.body(), SignedAnswers.Exchange.STAND_IN_ROUTE);
    return response;
  }

  private JsonNode verified(HttpResponse<byte[]> response) {
    var result =
        new SignedBodyVerifier(TestRoutes.MAPPER)
            .verify(response.body())
            .orElseThrow(
                () ->
                    new AssertionError(
                        "unsigned: " + new String(response.body(), StandardCharsets.UTF_8)));
    assertThat(result.signer()).isEqualTo(key.address());
    assertThat(result.body().get("status").asInt()).isEqualTo(response.statusCode());
    return result.body();
  }

  @Test
  void signsAnswersWithEnvelopeEchoingTheRequest() throws Exception {
    String body = "{\"text\":\"hi\",\"numbers\":[1,2]}";
    var response =
        send(
            HttpRequest.newBuilder(URI.create(base + "/echo?a=1&b=%20x"))
                .header("X-Client-Nonce", "nonce-123 ok")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode json = verified(response);
    assertThat(json.get("text").asText()).isEqualTo("hi");
    assertThat(json.get("tee_name").asText()).isEqualTo("http-test");
    assertThat(json.get("client_nonce").asText()).isEqualTo("nonce-123 ok");
    assertThat(json.get("timestamp").asLong()).isPositive();
    JsonNode request = json.get("request");
    assertThat(request.get("method").asText()).isEqualTo("POST");
    assertThat(request.get("path").asText()).isEqualTo("/api/v1/echo");
    assertThat(request.get("query").asText()).isEqualTo("a=1&b=%20x");
    assertThat(request.get("body_hash").asText())
        .isEqualTo(Keccak.hashHex(body.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void signedNotFoundNamesThePathAskedSoItCannotPassForAnotherAnswer() throws Exception {
    var response = send(HttpRequest.newBuilder(URI.create(base + "/no/such%2Fthing?x=1")).GET());
    assertThat(response.statusCode()).isEqualTo(404);
    JsonNode json = verified(response);
    assertThat(json.at("/error/code").asText()).isEqualTo("not_found");
    assertThat(json.at("/request/path").asText()).isEqualTo("/api/v1/no/such%2Fthing");
    assertThat(json.at("/request/query").asText()).isEqualTo("x=1");
    assertThat(json.at("/request/body_hash").isNull()).isTrue();
    assertThat(json.get("client_nonce").isNull()).isTrue();
  }

  @Test
  void wrongMethodIsASigned405() throws Exception {
    var response = send(HttpRequest.newBuilder(URI.create(base + "/tricky")).DELETE());
    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(verified(response).at("/error/code").asText()).isEqualTo("method_not_allowed");
  }

  @Test
  void bodiesOverOneMebibyteAreASigned413() throws Exception {
    byte[] big = new byte[HttpLimits.MAX_BODY_BYTES + 1];
    java.util.Arrays.fill(big, (byte) 'a');
    var response =
        send(
            HttpRequest.newBuilder(URI.create(base + "/echo"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(big)));
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(verified(response).at("/error/code").asText()).isEqualTo("body_too_large");
  }

  @Test
  void chunkedBodiesOverOneMebibyteAreASigned413() throws Exception {
    byte[] big = new byte[HttpLimits.MAX_BODY_BYTES + 10];
    java.util.Arrays.fill(big, (byte) 'a');
    // An InputStream publisher has no known length, so the client sends it chunked.
    var response =
        send(
            HttpRequest.newBuilder(URI.create(base + "/echo"))
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(big))));
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(verified(response).at("/error/code").asText()).isEqualTo("body_too_large");
  }

  @Test
  void duplicateKeysAreA400NamingTheKey() throws Exception {
    var response = post("/echo", "{\"text\":\"a\",\"numbers\":[],\"text\":\"b\"}");
    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode json = verified(response);
    assertThat(json.at("/error/code").asText()).isEqualTo("duplicate_key");
    assertThat(json.at("/error/message").asText()).contains("'text'");
  }

  @Test
  void unknownFieldsAreA400NamingTheField() throws Exception {
    var response = post("/echo", "{\"text\":\"a\",\"numbers\":[],\"extra_thing\":1}");
    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode json = verified(response);
    assertThat(json.at("/error/code").asText()).isEqualTo("unknown_field");
    assertThat(json.at("/error/message").asText()).contains("'extra_thing'");
  }

  @Test
  void malformedJsonAndWrongTypesAre400s() throws Exception {
    var truncated = post("/echo", "{\"text\":\"a\",");
    assertThat(truncated.statusCode()).isEqualTo(400);
    assertThat(verified(truncated).at("/error/code").asText()).isEqualTo("malformed_json");

    var wrongType = post("/echo", "{\"text\":\"a\",\"numbers\":[\"x\"]}");
    assertThat(wrongType.statusCode()).isEqualTo(400);
    JsonNode json = verified(wrongType);
    assertThat(json.at("/error/code").asText()).isEqualTo("invalid_field");
    assertThat(json.at("/error/message").asText()).contains("numbers[0]");

    var trailing = post("/echo", "{\"text\":\"a\",\"numbers\":[]} {}");
    assertThat(trailing.statusCode()).isEqualTo(400);

    var empty = post("/echo", "");
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(verified(empty).at("/error/code").asText()).isEqualTo("malformed_json");
  }

  @Test
  void unexpectedFailuresAreA500ThatLeaksNothing() throws Exception {
    var response = send(HttpRequest.newBuilder(URI.create(base + "/boom")).GET());
    assertThat(response.statusCode()).isEqualTo(500);
    JsonNode json = verified(response);
    assertThat(json.at("/error/code").asText()).isEqualTo("internal_error");
    String text = new String(response.body(), StandardCharsets.UTF_8);
    assertThat(text)
        .doesNotContain(TestRoutes.SECRET_IN_EXCEPTION)
        .doesNotContain("IllegalStateException")
        .doesNotContain("dev.teeagent");
  }

  @Test
  void jsonThatFailsToParseOutsideTheRequestBodyIsA500NotTheClientsMalformedJson()
      throws Exception {
    var response = send(HttpRequest.newBuilder(URI.create(base + "/upstream-garbage")).GET());
    assertThat(response.statusCode()).isEqualTo(500);
    JsonNode json = verified(response);
    assertThat(json.at("/error/code").asText()).isEqualTo("internal_error");
    assertThat(new String(response.body(), StandardCharsets.UTF_8))
        .doesNotContain(TestRoutes.SECRET_IN_EXCEPTION)
        .doesNotContain("Unrecognized token");
  }

  @Test
  void refusesClientNoncesThatAreTooLongOrNotPrintable() throws Exception {
    var tooLong =
        send(
            HttpRequest.newBuilder(URI.create(base + "/tricky"))
                .header("X-Client-Nonce", "n".repeat(65))
                .GET());
    assertThat(tooLong.statusCode()).isEqualTo(400);
    JsonNode json = verified(tooLong);
    assertThat(json.at("/error/code").asText()).isEqualTo("bad_client_nonce");
    assertThat(json.get("client_nonce").isNull()).isTrue();

    var longest =
        send(
            HttpRequest.newBuilder(URI.create(base + "/tricky"))
                .header("X-Client-Nonce", "n".repeat(64))
                .GET());
    assertThat(verified(longest).get("client_nonce").asText()).isEqualTo("n".repeat(64));
  }

  @Test
  void numbersBeyondTwoToTheFiftyThreeAreSignedAsStrings() throws Exception {
    JsonNode json = verified(send(HttpRequest.newBuilder(URI.create(base + "/tricky")).GET()));
    assertThat(json.get("big").isTextual()).isTrue();
    assertThat(json.get("big").asText()).isEqualTo("123456789012345678901234567890");
  }

  @Test
  void healthIsUnsigned() throws Exception {
    var response = send(HttpRequest.newBuilder(URI.create(base + "/health")).GET());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new String(response.body(), StandardCharsets.UTF_8))
        .isEqualTo("{\"status\":\"ok\"}");
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void stopLetsInFlightRequestsFinish() throws Exception {
    CompletableFuture<HttpResponse<byte[]>> slow =
        client.sendAsync(
            HttpRequest.newBuilder(URI.create(base + "/slow")).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
    slowGate.awaitEntered();
    CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
    awaitRefused(port);
    // The server no longer accepts connections; the request in its handler is still owed an answer.
    assertThat(slow).isNotDone();
    slowGate.open();
    HttpResponse<byte[]> response = slow.get();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(verified(response).get("slow").asBoolean()).isTrue();
    stopping.get();
  }

  /** Waits until the port refuses connections: the stop has begun (bounded by the test timeout). */
  private static void awaitRefused(int port) throws InterruptedException {
    while (true) {
      try {
        new Socket(InetAddress.getLoopbackAddress(), port).close();
      } catch (IOException refused) {
        return;
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      Thread.onSpinWait();
    }
  }

  @Test
  void theIdleTimeoutBoundsSilentClientsNotAnAnswerThatTakesLong() throws Exception {
    var response =
        send(
            HttpRequest.newBuilder(URI.create(base + "/longer-than-idle-timeout"))
                .timeout(Duration.ofSeconds(30))
                .GET());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(verified(response).get("slow").asBoolean()).isTrue();
  }

  @Test
  void stopLogsALineWhenItBeginsAndWhenItEnds() {
    try (LogCapture log = LogCapture.asShipped()) {
      server.close();
      assertThat(log.lines())
          .anyMatch(line -> line.startsWith("teeagent.http stopping:"))
          .anyMatch(line -> line.startsWith("teeagent.http stopped"));
    }
  }

  private HttpResponse<byte[]> post(String path, String body) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }
}
