package dev.teeagent.crypto;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 for whatever is hashed or signed. {@code String.getBytes(UTF_8)} writes '?' for a lone
 * surrogate, so two different texts would hash alike (a batch signed for "a?" would pass for
 * "a\ud800"); this encoder throws instead.
 */
public final class Utf8 {
  private Utf8() {}

  /** The UTF-8 bytes of {@code text}; IllegalArgumentException when it holds a lone surrogate. */
  public static byte[] strict(String text) {
    try {
      ByteBuffer encoded =
          StandardCharsets.UTF_8
              .newEncoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .encode(CharBuffer.wrap(text));
      byte[] bytes = new byte[encoded.remaining()];
      encoded.get(bytes);
      return bytes;
    } catch (CharacterCodingException loneSurrogate) {
      throw new IllegalArgumentException("text is not well-formed Unicode (a lone surrogate)");
    }
  }
}
