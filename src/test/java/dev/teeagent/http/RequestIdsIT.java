package dev.teeagent.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teeagent.crypto.SignedBodyVerifier;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.testing.LogCapture;
import dev.teeagent.testing.SignedAnswers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every signed error body carries a {@code request_id} the agent made, and the log line of that
 * request shows it, so that an operator finds a client's answer in the log; a 500's line gives the
 * whole cause chain.
 */
class RequestIdsIT {
  private static final String ID = "[0-9a-f]{12}-[0-9]+";

  private final SigningKey key = TestRoutes.freshKey();
  private final HttpClient client = HttpClient.newHttpClient();
  private AgentHttpServer server;
  private int port;

  @BeforeEach
  void start() {
    server = TestRoutes.server(key);
    port = server.start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void a500LogsItsWholeCauseChainUnderTheRequestIdItsSignedBodyCarries() throws Exception {
    String id;
    try (LogCapture log = LogCapture.asShipped()) {
      JsonNode body = verifiedError(get("/boom-with-causes", ""), 500);
      assertThat(body.at("/error/code").asText()).isEqualTo("internal_error");
      id = body.get("request_id").asText();
      assertThat(id).matches(ID);
      List<String> lines = awaitRequestLine(log, id);
      assertThat(lines)
          .anyMatch(
              line ->
                  line.startsWith(
                      "dev.teeagent.http.ErrorMapper request_id="
                          + id
                          + " internal error: java.lang.IllegalStateException: \"outer\" at"
                          + " dev.teeagent.http.TestRoutes"));
      String chain =
          lines.stream().filter(line -> line.contains(" internal error: ")).findFirst().get();
      assertThat(chain)
          .contains("; caused by java.io.UncheckedIOException: \"middle\\nforged log line\" at ")
          .contains("; caused by java.io.IOException: \"innermost\" at ")
          .doesNotContain("\n");
      assertThat(lines)
          .anyMatch(
              line ->
                  line.startsWith("teeagent.http GET /api/v1/boom-with-causes 500 internal_error ")
                      && line.contains("ms request_id=" + id));
    }
  }

  @Test
  void everyRefusalCarriesItsOwnIdWhichTheRequestsLogLineShows() throws Exception {
    Set<String> ids = new HashSet<>();
    try (LogCapture log = LogCapture.asShipped()) {
      for (String[] request :
          new String[][] {
            {"/nothing-here", "not_found"}, {"/echo", "method_not_allowed"},
          }) {
        JsonNode body = verifiedError(get(request[0], "client-chosen-id"), -1);
        assertThat(body.at("/error/code").asText()).isEqualTo(request[1]);
        String id = body.get("request_id").asText();
        assertThat(id).matches(ID);
        ids.add(id);
        assertThat(awaitRequestLine(log, id))
            .anyMatch(
                line ->
                    line.startsWith("teeagent.http GET /api/v1" + request[0] + " ")
                        && line.contains(request[1])
                        && line.endsWith("request_id=" + id + " {}"));
      }
      HttpResponse<byte[]> malformed =
          client.send(
              HttpRequest.newBuilder(URI.create(base() + "/echo"))
                  .POST(HttpRequest.BodyPublishers.ofString("{"))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      ids.add(verifiedError(malformed, 400).get("request_id").asText());
    }
    assertThat(ids).hasSize(3).allMatch(id -> id.matches(ID));
    // One boot, one counter: the ids share their boot part.
    assertThat(ids.stream().map(id -> id.substring(0, 12)).distinct()).hasSize(1);
  }

  @Test
  void aRefusalOfTheHttpLayerCarriesAnIdToo() throws Exception {
    try (LogCapture log = LogCapture.asShipped();
        Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(
          "GET /api/v1/x HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer = readAll(socket.getInputStream());
      String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
      JsonNode json = TestRoutes.MAPPER.readTree(body);
      String id = json.get("request_id").asText();
      assertThat(id).matches(ID);
      assertThat(
              new SignedBodyVerifier(TestRoutes.MAPPER)
                  .verify(body.getBytes(StandardCharsets.UTF_8)))
          .isPresent();
      assertThat(awaitRequestLine(log, id))
          .anyMatch(line -> line.contains("(refused by the HTTP layer) request_id=" + id));
    }
  }

  private String base() {
    return "http://127.0.0.1:" + port + "/api/v1";
  }

  private HttpResponse<byte[]> get(String path, String clientRequestId) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).GET();
    if (!clientRequestId.isEmpty()) {
      request.header("X-Request-Id", clientRequestId);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The verified body of an error answer ({@code status} -1: any 4xx). */
  private JsonNode verifiedError(HttpResponse<byte[]> response, int status) {
    SignedAnswers.record(
        response.body(),
        SignedAnswers.Exchange.http(
            response.statusCode(), response.headers().firstValue("Content-Type").orElse(null)));
    if (status > 0) {
      assertThat(response.statusCode()).isEqualTo(status);
    } else {
      assertThat(response.statusCode()).isBetween(400, 499);
    }
    var verified =
        new SignedBodyVerifier(TestRoutes.MAPPER)
            .verify(response.body())
            .orElseThrow(() -> new AssertionError("unsigned"));
    assertThat(verified.signer()).isEqualTo(key.address());
    assertThat(verified.body().has("request_id")).isTrue();
    return verified.body();
  }

  /** The log so far, once the request's own line (written after the answer) is in it. */
  private static List<String> awaitRequestLine(LogCapture log, String id)
      throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (log.lines().stream()
            .noneMatch(
                line ->
                    line.contains("request_id=" + id + " ") || line.endsWith("request_id=" + id))
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return log.lines();
  }

  private static String readAll(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }
}
