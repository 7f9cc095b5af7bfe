package dev.teeagent.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teeagent.testing.LogCapture;
import dev.teeagent.testing.StartedAgent;
import dev.teeagent.testing.TestAgent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 10 §5: every answer the agent can give is signed JSON with the right status and code —
 * bodies cut short or badly chunked, a JSON null body, and the refusals Jetty makes before any
 * route runs — and one bad request logs one line, without a stack trace. Sent over raw sockets,
 * since well-behaved HTTP clients cannot send these.
 */
class ProtocolRefusalsIT {
  @StartedAgent private static TestAgent agent;
  private static int port;

  @BeforeAll
  static void readPort() {
    port = Integer.parseInt(agent.baseUrl().substring(agent.baseUrl().lastIndexOf(':') + 1));
  }

  @Test
  void aBodyCutShortIsASigned400BodyIncompleteWithOneLogLine() throws Exception {
    try (LogCapture log = LogCapture.asShipped()) {
      TestAgent.Reply reply =
          exchange(
              "POST /api/v1/variables HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
                  + "Content-Length: 100\r\n\r\n{\"commands\":[",
              true);
      assertSigned(reply, 400, "body_incomplete");
      assertOneLineFor(log, "POST /api/v1/variables 400 body_incomplete");
    }
  }

  @Test
  void badChunkedEncodingIsASigned400BodyIncompleteWithOneLogLine() throws Exception {
    try (LogCapture log = LogCapture.asShipped()) {
      TestAgent.Reply reply =
          exchange(
              "POST /api/v1/prompt HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
                  + "Transfer-Encoding: chunked\r\n\r\nzz-not-hex\r\n{}\r\n0\r\n\r\n",
              false);
      // Jetty reports broken chunk framing as an early end of the body.
      assertSigned(reply, 400, "body_incomplete");
      assertOneLineFor(log, "POST /api/v1/prompt 400 body_incomplete");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/v1/variables", "/api/v1/prompt", "/api/v1/sign-transaction"})
  void aJsonNullBodyIsASigned400OnEveryPostRoute(String path) throws Exception {
    TestAgent.Reply reply = agent.post(path, "null");
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.verifiedSigner().checksummed()).isEqualTo(agent.address());
    assertThat(reply.errorCode()).isEqualTo("malformed_json");
    assertThat(reply.json().at("/error/message").asText()).contains("not null");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "garbage request line | GARBAGE\\r\\n\\r\\n | 400 | bad_http_request",
        "no Host header | GET /api/v1/config HTTP/1.1\\r\\n\\r\\n | 400 | bad_http_request",
        "two Host headers | GET /api/v1/config HTTP/1.1\\r\\nHost: a\\r\\nHost: b\\r\\n\\r\\n | 400"
            + " | bad_http_request",
        "bad Content-Length | POST /api/v1/prompt HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: x\\r\\n"
            + "\\r\\n | 400 | bad_http_request",
        "Content-Length and chunked | POST /api/v1/prompt HTTP/1.1\\r\\nHost: a\\r\\n"
            + "Content-Length: 2\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n | 400"
            + " | bad_http_request",
        "unknown HTTP version | GET /api/v1/config HTTP/3.0\\r\\nHost: a\\r\\n\\r\\n | 505"
            + " | http_version_not_supported",
        "HTTP/2 preface | PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n | 426 | upgrade_required",
      })
  void jettysOwnRefusalsAreSignedJson(String what, String request, int status, String code)
      throws Exception {
    String raw = request.replace("\\r\\n", "\r\n");
    try (LogCapture log = LogCapture.asShipped()) {
      TestAgent.Reply reply = exchange(raw, false);
      assertSigned(reply, status, code);
      assertThat(errorLines(log)).as(what + ": " + log.lines()).hasSize(1);
    }
  }

  @Test
  void aRequestLineOverEightKibibytesIsASigned414() throws Exception {
    String path = "/api/v1/config?" + "a".repeat(9000);
    try (LogCapture log = LogCapture.asShipped()) {
      assertSigned(
          exchange("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n", false), 414, "uri_too_long");
      assertThat(errorLines(log)).hasSize(1);
    }
  }

  @Test
  void headersOverEightKibibytesAreASigned431() throws Exception {
    String big = "X-Big: " + "b".repeat(9000) + "\r\n";
    try (LogCapture log = LogCapture.asShipped()) {
      assertSigned(
          exchange("GET /api/v1/config HTTP/1.1\r\nHost: a\r\n" + big + "\r\n", false),
          431,
          "headers_too_large");
      assertThat(errorLines(log)).hasSize(1);
    }
  }

  @Test
  void wrongMethodIs405ListingTheAllowedMethodsInMessageAndAllowHeader() throws Exception {
    TestAgent.Reply reply =
        exchange("DELETE /api/v1/config HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", false);
    assertSigned(reply, 405, "method_not_allowed");
    assertThat(reply.json().at("/error/message").asText()).endsWith("allowed: GET");
    assertThat(reply.header("Allow")).isEqualTo("GET");
  }

  private static void assertSigned(TestAgent.Reply reply, int status, String code) {
    assertThat(reply.status()).as(reply.text()).isEqualTo(status);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    assertThat(reply.verifiedSigner().checksummed()).isEqualTo(agent.address());
    JsonNode json = reply.json();
    assertThat(json.get("status").asInt()).isEqualTo(status);
    assertThat(json.at("/error/code").asText()).isEqualTo(code);
  }

  private static void assertOneLineFor(LogCapture log, String expected)
      throws InterruptedException {
    List<String> lines = errorLines(log);
    assertThat(lines).hasSize(1);
    assertThat(lines.getFirst()).contains(expected);
  }

  /**
   * The log lines of the bad request, once its line is written (the request log follows the
   * answer): every line at the shipped levels, none with an exception.
   */
  private static List<String> errorLines(LogCapture log) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (log.lines().stream().noneMatch(line -> line.startsWith("teeagent.http "))
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    List<String> lines = log.lines();
    assertThat(lines).noneMatch(line -> line.contains("Exception"));
    return lines;
  }

  /**
   * Sends {@code raw} on a new connection (half-closing when {@code halfClose}), reads the answer
   * to its end and parses status, headers and body.
   */
  private static TestAgent.Reply exchange(String raw, boolean halfClose) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      if (halfClose) {
        socket.shutdownOutput();
      }
      return parse(socket.getInputStream());
    }
  }

  private static TestAgent.Reply parse(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new AssertionError("connection closed before an answer: " + head);
      }
      head.write(c);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    java.util.Map<String, List<String>> headers =
        new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, colon).trim(), List.of(lines[i].substring(colon + 1).trim()));
    }
    String length = headers.getOrDefault("Content-Length", List.of("")).getFirst();
    byte[] body =
        length.isEmpty()
            ? in.readAllBytes()
            : in.readNBytes(Integer.parseInt(length.toLowerCase(Locale.ROOT)));
    return new TestAgent.Reply(
        status, body, java.net.http.HttpHeaders.of(headers, (name, value) -> true));
  }
}
