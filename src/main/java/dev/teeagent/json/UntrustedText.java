package dev.teeagent.json;

/**
 * Text the agent did not write — a client's member name or query parameter, an upstream's error
 * message, a field of a document being verified, an agent's answer printed by the CLI — made safe
 * to quote in a sentence, a log line or a terminal: one line, bounded, nothing that moves the
 * cursor, hides or reorders text. Tab, CR and LF become a space; every other code point that is not
 * shown (controls, format characters such as bidi overrides, lone surrogates, separators, private
 * use, unassigned) becomes '?'. Letters, marks, digits, punctuation, symbols and spaces of any
 * script stay. Each caller chooses its bound, since a query parameter and a provider's message are
 * quoted in different places.
 */
public final class UntrustedText {
  private static final String CUT = "…";

  private UntrustedText() {}

  /** At most {@code maxChars} characters of {@code text} (then "…"), made safe; null is "". */
  public static String quote(String text, int maxChars) {
    if (text == null) {
      return "";
    }
    int end = Math.min(text.length(), maxChars);
    if (end < text.length() && end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--; // never cut a pair in two
    }
    StringBuilder out = new StringBuilder(end + 1);
    text.substring(0, end).codePoints().forEach(c -> out.appendCodePoint(shown(c)));
    return end < text.length() ? out.append(CUT).toString() : out.toString();
  }

  private static int shown(int c) {
    if (c == '\t' || c == '\n' || c == '\r') {
      return ' ';
    }
    return switch (Character.getType(c)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.SURROGATE,
          Character.PRIVATE_USE,
          Character.UNASSIGNED,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR ->
          '?';
      default -> c;
    };
  }
}
