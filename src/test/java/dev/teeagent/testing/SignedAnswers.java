package dev.teeagent.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps every signed answer the integration tests receive (the exact body bytes, one file each) in
 * {@code target/signed-answers}, so that {@code make test} can check all of them afterwards with
 * code we did not write: src/test/js/verify-all-signed.mjs (npm canonicalize + ethers) verifies the
 * signatures, src/test/js/validate-answers.mjs (ajv) validates each against its operation in
 * src/main/resources/openapi.json. Beside {@code N.json}, {@code N.meta} says how the answer came:
 * its HTTP status and content type when seen, an event stream's last event, or a stand-in route
 * that is not part of the API. Request bodies sent with {@link TestAgent#post} are kept in {@code
 * requests/}, with the status and error code they were answered with.
 */
public final class SignedAnswers {
  private static final AtomicLong COUNT = new AtomicLong();
  private static final long RUN = ProcessHandle.current().pid();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** How an answer came: {@code httpStatus} and {@code contentType} are null when not seen. */
  public record Exchange(Integer httpStatus, String contentType, String transport) {
    /** A plain HTTP answer from the agent's real routes. */
    public static Exchange http(int status, String contentType) {
      return new Exchange(status, contentType, "json");
    }

    /** The signed last event of a server-sent event stream (the HTTP status was 200). */
    public static final Exchange EVENT_STREAM = new Exchange(200, null, "event-stream");

    /** An answer of a route that tests register beside the API (not in the OpenAPI document). */
    public static final Exchange STAND_IN_ROUTE = new Exchange(null, null, "stand-in-route");

    /** A body received elsewhere (a log, a file, a raw socket) whose HTTP details are not known. */
    public static final Exchange BODY_ONLY = new Exchange(null, null, "json");
  }

  private SignedAnswers() {}

  public static Path directory() {
    return NodeScript.projectDir().resolve("target/signed-answers");
  }

  /** Records {@code body} when it is a signed answer (a JSON object with a signature member). */
  public static void record(byte[] body, Exchange how) {
    if (body == null || body.length == 0 || body[0] != '{') {
      return;
    }
    String text = new String(body, StandardCharsets.UTF_8);
    if (!text.contains("\"signature\":\"0x")) {
      return;
    }
    String name = RUN + "-" + COUNT.incrementAndGet();
    ObjectNode meta = MAPPER.createObjectNode();
    meta.put("http_status", how.httpStatus());
    meta.put("content_type", how.contentType());
    meta.put("transport", how.transport());
    try {
      Files.createDirectories(directory());
      Files.write(directory().resolve(name + ".meta"), MAPPER.writeValueAsBytes(meta));
      Files.write(directory().resolve(name + ".json"), body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void record(String body, Exchange how) {
    record(body.getBytes(StandardCharsets.UTF_8), how);
  }

  /**
   * Records a request body with the status and error code it was answered with, so that the check
   * can hold it against the request schema of its operation: the documented schema may not refuse
   * what the agent accepted (2xx), nor accept what the agent refused as an unknown field.
   */
  public static void recordRequest(
      String method, String path, String body, int status, byte[] answer) {
    ObjectNode request = MAPPER.createObjectNode();
    request.put("method", method);
    request.put("path", path);
    request.put("status", status);
    request.put("error_code", errorCode(answer));
    request.put("body", body);
    Path dir = directory().resolve("requests");
    try {
      Files.createDirectories(dir);
      Files.write(
          dir.resolve(RUN + "-" + COUNT.incrementAndGet() + ".json"),
          MAPPER.writeValueAsBytes(request));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The error code of a signed error answer, or null (a success, a stream, not JSON). */
  private static String errorCode(byte[] answer) {
    try {
      return MAPPER.readTree(answer).path("error").path("code").textValue();
    } catch (IOException notJson) {
      return null;
    }
  }
}
