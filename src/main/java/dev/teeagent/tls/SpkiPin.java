package dev.teeagent.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.HexFormat;

/** The pin of a TLS key: SHA-256 of the DER SubjectPublicKeyInfo, as 0x-hex and as curl wants. */
public final class SpkiPin {
  private SpkiPin() {}

  /** 0x-hex SHA-256 of the certificate's DER SubjectPublicKeyInfo. */
  public static String sha256Hex(Certificate certificate) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
      return "0x" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code sha256//BASE64} for {@code curl --pinnedpubkey}, from the 0x-hex pin. */
  public static String curlPin(String sha256Hex) {
    return "sha256//" + Base64.getEncoder().encodeToString(parse(sha256Hex));
  }

  /** Whether {@code text} is a 0x-prefixed lower-case 32-byte hex pin. */
  public static boolean isPin(String text) {
    return text != null && text.matches("0x[0-9a-f]{64}");
  }

  /** Constant-time comparison of two 0x-hex pins. */
  public static boolean same(String a, String b) {
    return isPin(a) && isPin(b) && MessageDigest.isEqual(parse(a), parse(b));
  }

  private static byte[] parse(String sha256Hex) {
    if (!isPin(sha256Hex)) {
      throw new IllegalArgumentException("not a 0x-hex SHA-256 pin");
    }
    return HexFormat.of().parseHex(sha256Hex.substring(2));
  }
}
