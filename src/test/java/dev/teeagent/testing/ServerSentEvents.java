package dev.teeagent.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Splits an event stream as a client reads it: events end with a blank line. */
public final class ServerSentEvents {
  /** One event: its name (null when unnamed) and its data lines joined with LF. */
  public record Event(String name, String data) {}

  private ServerSentEvents() {}

  public static List<Event> parse(byte[] stream) {
    String text = new String(stream, StandardCharsets.UTF_8).replace("\r\n", "\n");
    List<Event> events = new ArrayList<>();
    for (String block : text.split("\n\n")) {
      String name = null;
      StringBuilder data = null;
      for (String line : block.split("\n")) {
        if (line.startsWith(":") || line.isEmpty()) {
          continue;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
        if (field.equals("event")) {
          name = value;
        } else if (field.equals("data")) {
          data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        }
      }
      if (data != null) {
        if ("signed".equals(name)) {
          SignedAnswers.record(data.toString(), SignedAnswers.Exchange.EVENT_STREAM);
        }
        events.add(new Event(name, data.toString()));
      }
    }
    return events;
  }

  /** The data of the provider's events in a recorded stream, in order ("[DONE]" included). */
  public static List<String> dataOf(String recorded) {
    return parse(recorded.getBytes(StandardCharsets.UTF_8)).stream().map(Event::data).toList();
  }

  /** The bytes before the final signed event: what {@code stream_hash} covers. */
  public static byte[] beforeSignedEvent(byte[] stream) {
    String text = new String(stream, StandardCharsets.UTF_8);
    int at = text.lastIndexOf("event: signed\n");
    if (at < 0) {
      throw new AssertionError("no signed event in: " + text);
    }
    return text.substring(0, at).getBytes(StandardCharsets.UTF_8);
  }
}
