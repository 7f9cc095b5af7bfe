package dev.teeagent.crypto;

import java.math.BigInteger;
import java.util.Optional;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;
import org.web3j.crypto.Hash;

/**
 * ECDSA over secp256k1 with deterministic nonces (RFC 6979) and low s, as Ethereum signs.
 *
 * <p>Stock web3j finds the recovery id by trying each candidate public key, which costs up to four
 * point recoveries per signature. Here the recovery id is read off the nonce point R while signing
 * (parity of R.y), so signing costs one fixed-base multiplication. The output is byte-identical to
 * web3j's and ethers' (RFC 6979 is deterministic).
 */
public final class Secp256k1 {
  static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");
  public static final ECDomainParameters DOMAIN =
      new ECDomainParameters(PARAMS.getCurve(), PARAMS.getG(), PARAMS.getN(), PARAMS.getH());
  public static final BigInteger N = PARAMS.getN();
  static final BigInteger HALF_N = N.shiftRight(1);
  private static final FixedPointCombMultiplier BASE_MULTIPLIER = new FixedPointCombMultiplier();

  private Secp256k1() {}

  /** Signs a 32-byte digest with private scalar {@code d}; returns low-s r‖s‖v. */
  static EthSignature sign(byte[] digest, BigInteger d) {
    requireDigest(digest);
    HMacDSAKCalculator kCalculator = new HMacDSAKCalculator(new SHA256Digest());
    kCalculator.init(N, d, digest);
    BigInteger e = new BigInteger(1, digest);
    while (true) {
      BigInteger k = kCalculator.nextK();
      ECPoint p = BASE_MULTIPLIER.multiply(DOMAIN.getG(), k).normalize();
      BigInteger x = p.getAffineXCoord().toBigInteger();
      BigInteger r = x.mod(N);
      if (r.signum() == 0 || !x.equals(r)) {
        // x >= n would need recovery ids 2/3, which Ethereum's v cannot express (p < 2^-127).
        continue;
      }
      BigInteger s = BigIntegers.modOddInverse(N, k).multiply(e.add(d.multiply(r))).mod(N);
      if (s.signum() == 0) {
        continue;
      }
      int recoveryId = p.getAffineYCoord().toBigInteger().testBit(0) ? 1 : 0;
      if (s.compareTo(HALF_N) > 0) {
        s = N.subtract(s);
        recoveryId ^= 1;
      }
      return new EthSignature(r, s, 27 + recoveryId);
    }
  }

  /** The uncompressed public point of {@code d}, 65 bytes starting with 0x04. */
  static byte[] publicKeyOf(BigInteger d) {
    return BASE_MULTIPLIER.multiply(DOMAIN.getG(), d).normalize().getEncoded(false);
  }

  /**
   * Parses an uncompressed public point (0x04‖x‖y), refusing other encodings and points that are
   * not on the curve (BouncyCastle validates the coordinates), so that no invalid-curve point ever
   * reaches a multiplication with a private scalar.
   */
  static ECPoint decodeUncompressed(byte[] encoded) {
    if (encoded == null || encoded.length != 65 || encoded[0] != 0x04) {
      throw new IllegalArgumentException("public key must be 65 bytes, uncompressed");
    }
    ECPoint point = DOMAIN.getCurve().decodePoint(encoded);
    if (point.isInfinity() || !point.isValid()) {
      throw new IllegalArgumentException("point is not on secp256k1");
    }
    return point;
  }

  /** The address of an uncompressed (0x04‖x‖y) public key. */
  public static Address addressOf(byte[] uncompressedPublicKey) {
    if (uncompressedPublicKey.length != 65 || uncompressedPublicKey[0] != 0x04) {
      throw new IllegalArgumentException("public key must be 65 bytes, uncompressed");
    }
    byte[] xy = java.util.Arrays.copyOfRange(uncompressedPublicKey, 1, 65);
    byte[] hash = Hash.sha3(xy);
    return Address.fromBytes(java.util.Arrays.copyOfRange(hash, 12, 32));
  }

  /**
   * Recovers the signer's uncompressed public key from a digest and signature, or empty when the
   * signature matches no point.
   */
  public static Optional<byte[]> recoverPublicKey(byte[] digest, EthSignature signature) {
    requireDigest(digest);
    BigInteger r = signature.r();
    BigInteger s = signature.s();
    ECPoint rPoint;
    try {
      byte[] compressed = new byte[33];
      compressed[0] = (byte) (signature.recoveryId() == 1 ? 0x03 : 0x02);
      byte[] x = BigIntegers.asUnsignedByteArray(32, r);
      System.arraycopy(x, 0, compressed, 1, 32);
      rPoint = DOMAIN.getCurve().decodePoint(compressed);
    } catch (IllegalArgumentException notOnCurve) {
      return Optional.empty();
    }
    BigInteger e = new BigInteger(1, digest);
    BigInteger rInverse = BigIntegers.modOddInverse(N, r);
    BigInteger u1 = N.subtract(e).multiply(rInverse).mod(N);
    BigInteger u2 = s.multiply(rInverse).mod(N);
    ECPoint q = ECAlgorithms.sumOfTwoMultiplies(DOMAIN.getG(), u1, rPoint, u2).normalize();
    if (q.isInfinity()) {
      return Optional.empty();
    }
    return Optional.of(q.getEncoded(false));
  }

  /** Recovers the signer's address, or empty when the signature matches no key. */
  public static Optional<Address> recoverAddress(byte[] digest, EthSignature signature) {
    return recoverPublicKey(digest, signature).map(Secp256k1::addressOf);
  }

  private static void requireDigest(byte[] digest) {
    if (digest == null || digest.length != 32) {
      throw new IllegalArgumentException("digest must be 32 bytes");
    }
  }
}
