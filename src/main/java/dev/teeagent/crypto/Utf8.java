package dev.teeagent.crypto;

import dev.teeagent.json.WellFormed;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 for whatever is hashed or signed. {@code String.getBytes(UTF_8)} writes '?' for a lone
 * surrogate, so two different texts would hash alike (a batch signed for "a?" would pass for
 * "a\ud800"); this encoder throws instead. Well-formed text is encoded by {@code getBytes}, which
 * is exact for it and several times faster than a reporting {@code CharsetEncoder}.
 */
public final class Utf8 {
  private Utf8() {}

  /** The UTF-8 bytes of {@code text}; IllegalArgumentException when it holds a lone surrogate. */
  public static byte[] strict(String text) {
    if (WellFormed.hasLoneSurrogate(text)) {
      throw new IllegalArgumentException("text is not well-formed Unicode (a lone surrogate)");
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
