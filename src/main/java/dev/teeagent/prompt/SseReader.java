package dev.teeagent.prompt;

import java.io.EOFException;
import java.io.IOException;
import okio.BufferedSource;

/**
 * Reads the {@code data} of server-sent events from the provider's stream (WHATWG rules: lines end
 * with LF or CRLF, a blank line ends an event, several data lines join with LF, comments and other
 * fields are skipped). Lines and the data of one event are bounded so a provider cannot make the
 * agent buffer without end (an event beyond the 8 MiB a whole answer may take is never relayed).
 */
final class SseReader {
  static final long MAX_LINE = 1024 * 1024;
  private final BufferedSource source;

  SseReader(BufferedSource source) {
    this.source = source;
  }

  /** The next event's data, or null at the end of the stream. */
  String next() throws IOException {
    StringBuilder data = null;
    while (!source.exhausted()) {
      String line;
      try {
        line = source.readUtf8LineStrict(MAX_LINE);
      } catch (EOFException noNewline) {
        // A last line without its newline: the stream was cut mid-line, or the line is too long.
        throw new EOFException("unterminated line");
      }
      if (line.isEmpty()) {
        if (data != null) {
          return data.toString();
        }
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      if (!field.equals("data")) {
        continue; // a comment (":…") or event/id/retry, which chat completions do not use
      }
      String value = colon < 0 ? "" : line.substring(colon + 1);
      value = value.startsWith(" ") ? value.substring(1) : value;
      if (data == null) {
        data = new StringBuilder(value);
      } else {
        data.append('\n').append(value);
      }
      if (data.length() > PromptService.MAX_ANSWER_BYTES) {
        throw ProviderFailure.badAnswer("stream is larger than 8 MiB");
      }
    }
    return data == null ? null : data.toString();
  }
}
