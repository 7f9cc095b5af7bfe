package dev.teeagent.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * An exception and its causes as one log line: each one's class, message and top frame. A message
 * is quoted as a JSON string (so a line break in it cannot forge a log line) and cut short (a
 * library may quote a whole input); the private key and hidden values never reach a message.
 */
final class CauseChain {
  private static final int MAX_CAUSES = 8;
  private static final int MAX_MESSAGE_CHARS = 200;

  private CauseChain() {}

  static String describe(Throwable e) {
    StringBuilder line = new StringBuilder();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    int depth = 0;
    for (Throwable cause = e; cause != null && seen.add(cause); cause = cause.getCause()) {
      if (depth++ == MAX_CAUSES) {
        line.append("; caused by …");
        break;
      }
      if (depth > 1) {
        line.append("; caused by ");
      }
      line.append(cause.getClass().getName()).append(": ").append(quoted(cause.getMessage()));
      StackTraceElement[] trace = cause.getStackTrace();
      line.append(" at ").append(trace.length == 0 ? "?" : trace[0].toString());
    }
    return line.toString();
  }

  private static String quoted(String message) {
    if (message == null) {
      return "null";
    }
    String cut =
        message.length() > MAX_MESSAGE_CHARS
            ? message.substring(0, MAX_MESSAGE_CHARS) + "…"
            : message;
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(cut)) + "\"";
  }
}
