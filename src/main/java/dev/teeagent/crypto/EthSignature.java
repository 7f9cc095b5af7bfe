package dev.teeagent.crypto;

import java.math.BigInteger;
import org.web3j.utils.Numeric;

/**
 * An Ethereum ECDSA signature r‖s‖v, 65 bytes, with v = 27 or 28. Parsing rejects high s so that
 * each message has one valid encoding per key (no malleated copies).
 */
public record EthSignature(BigInteger r, BigInteger s, int v) {
  public EthSignature {
    if (r.signum() <= 0 || r.compareTo(Secp256k1.N) >= 0) {
      throw new IllegalArgumentException("signature r out of range");
    }
    if (s.signum() <= 0 || s.compareTo(Secp256k1.HALF_N) > 0) {
      throw new IllegalArgumentException("signature s out of range (high s is not accepted)");
    }
    if (v != 27 && v != 28) {
      throw new IllegalArgumentException("signature v must be 27 or 28");
    }
  }

  /** Parses 0x + 130 hex digits; v may be given as 0/1 or 27/28. */
  public static EthSignature parse(String hex) {
    if (hex == null || !hex.matches("0x[0-9a-fA-F]{130}")) {
      throw new IllegalArgumentException("signature must be 0x followed by 65 bytes of hex");
    }
    byte[] bytes = Numeric.hexStringToByteArray(hex);
    BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(bytes, 0, 32));
    BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(bytes, 32, 64));
    int v = bytes[64] & 0xff;
    return new EthSignature(r, s, v < 27 ? v + 27 : v);
  }

  public int recoveryId() {
    return v - 27;
  }

  public byte[] toBytes() {
    byte[] out = new byte[65];
    System.arraycopy(Numeric.toBytesPadded(r, 32), 0, out, 0, 32);
    System.arraycopy(Numeric.toBytesPadded(s, 32), 0, out, 32, 32);
    out[64] = (byte) v;
    return out;
  }

  public String toHex() {
    return Numeric.toHexString(toBytes());
  }

  @Override
  public String toString() {
    return toHex();
  }
}
