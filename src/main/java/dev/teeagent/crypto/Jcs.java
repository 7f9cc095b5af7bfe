package dev.teeagent.crypto;

import java.io.IOException;
import org.erdtman.jcs.JsonCanonicalizer;

/** RFC 8785 JSON Canonicalization Scheme, through the reference Java implementation. */
public final class Jcs {
  private Jcs() {}

  /** The canonical UTF-8 bytes of a JSON text. */
  public static byte[] canonicalize(String json) {
    try {
      return new JsonCanonicalizer(json).getEncodedUTF8();
    } catch (IOException e) {
      throw new IllegalArgumentException("not canonicalizable JSON", e);
    }
  }
}
