package dev.teeagent.crypto;

import dev.teeagent.json.WellFormed;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

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

  /**
   * The text of {@code bytes}, or empty when they are not well-formed UTF-8: never a U+FFFD put in
   * place of a bad sequence, which would let two different byte strings read alike.
   */
  public static Optional<String> decodeStrict(byte[] bytes) {
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
