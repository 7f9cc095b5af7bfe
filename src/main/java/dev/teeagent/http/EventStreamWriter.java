package dev.teeagent.http;

import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes server-sent events to one response; the headers go out with the first event. */
final class EventStreamWriter {
  private final HttpServletResponse response;
  private OutputStream out;

  EventStreamWriter(Context ctx) {
    this.response = ctx.res();
  }

  boolean started() {
    return out != null;
  }

  void send(byte[] event) throws IOException {
    if (out == null) {
      response.setStatus(200);
      response.setContentType("text/event-stream; charset=utf-8");
      response.setHeader("Cache-Control", "no-cache");
      response.setHeader("X-Accel-Buffering", "no");
      out = response.getOutputStream();
    }
    out.write(event);
    out.flush();
  }

  /** The last event: a signed body (one line: JCS escapes every control character). */
  void sendSigned(byte[] signedBody) throws IOException {
    byte[] head = "event: signed\ndata: ".getBytes(StandardCharsets.US_ASCII);
    byte[] event = new byte[head.length + signedBody.length + 2];
    System.arraycopy(head, 0, event, 0, head.length);
    System.arraycopy(signedBody, 0, event, head.length, signedBody.length);
    event[event.length - 2] = '\n';
    event[event.length - 1] = '\n';
    send(event);
  }
}
