package dev.teeagent.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Optional;
import org.bouncycastle.math.ec.ECConstantTimeMultiplier;
import org.bouncycastle.math.ec.ECPoint;
import org.web3j.utils.Numeric;

/**
 * A secp256k1 private key that never leaves this object: no accessor returns the private scalar, it
 * is never serialized, and {@link #toString()} redacts it. The agent's own key is {@link #generate
 * generated} in memory at boot; the operator CLI loads the operator's key from a file.
 */
public final class SigningKey {
  private final BigInteger privateScalar;
  private final DigestSigner signer;
  private final byte[] publicKey;
  private final Address address;

  SigningKey(BigInteger privateScalar, Optional<NativeSecp256k1> nativeLibrary) {
    this.privateScalar = privateScalar;
    this.signer =
        nativeLibrary
            .map(library -> library.signerFor(privateScalar))
            .orElse(digest -> Secp256k1.sign(digest, privateScalar));
    this.publicKey = Secp256k1.publicKeyOf(privateScalar);
    this.address = Secp256k1.addressOf(publicKey);
  }

  /** A fresh key, uniformly random in [1, n-1], signing with the pure-Java implementation. */
  public static SigningKey generate(SecureRandom random) {
    return generate(random, Optional.empty());
  }

  /**
   * A fresh key, uniformly random in [1, n-1], signing through libsecp256k1 when given (the agent's
   * own key), else in pure Java.
   */
  public static SigningKey generate(SecureRandom random, Optional<NativeSecp256k1> nativeLibrary) {
    byte[] candidate = new byte[32];
    while (true) {
      random.nextBytes(candidate);
      BigInteger d = new BigInteger(1, candidate);
      java.util.Arrays.fill(candidate, (byte) 0);
      if (d.signum() > 0 && d.compareTo(Secp256k1.N) < 0) {
        return new SigningKey(d, nativeLibrary);
      }
    }
  }

  /** A key from a 32-byte hex scalar (operator key files, test vectors); never the agent's key. */
  public static SigningKey fromPrivateKeyHex(String hex) {
    String digits = hex == null ? "" : hex.strip();
    if (!digits.matches("(0x)?[0-9a-fA-F]{64}")) {
      throw new IllegalArgumentException("a private key is 32 bytes of hex");
    }
    BigInteger d = Numeric.toBigInt(digits);
    if (d.signum() == 0 || d.compareTo(Secp256k1.N) >= 0) {
      throw new IllegalArgumentException("private key out of range");
    }
    return new SigningKey(d, Optional.empty());
  }

  /**
   * The agent's own key back from its sealed snapshot (custody): 32 big-endian bytes, in [1, n-1],
   * signing through libsecp256k1 when given.
   */
  public static SigningKey fromSealed(byte[] scalar, Optional<NativeSecp256k1> nativeLibrary) {
    BigInteger d = new BigInteger(1, scalar);
    if (scalar.length != 32 || d.signum() == 0 || d.compareTo(Secp256k1.N) >= 0) {
      throw new IllegalArgumentException("the sealed private key is out of range");
    }
    return new SigningKey(d, nativeLibrary);
  }

  /**
   * The private scalar as 32 bytes, only to seal the agent's key under its KMS data key (custody);
   * the caller zeroes it after use. Nothing else may call this.
   */
  public byte[] privateKeyForSealing() {
    return Numeric.toBytesPadded(privateScalar, 32);
  }

  public Address address() {
    return address;
  }

  /** Uncompressed public key, 65 bytes (0x04‖x‖y). */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  public String publicKeyHex() {
    return Numeric.toHexString(publicKey);
  }

  /** Signs a 32-byte digest (e.g. an EIP-712 or transaction hash). */
  public EthSignature signDigest(byte[] digest) {
    return signer.sign(digest);
  }

  /**
   * ECDH: the uncompressed point d·P for a validated peer point P. Package-private so that only
   * {@link Ecies} (decryption of secrets sent to this key) can use it; the scalar stays here.
   * BouncyCastle's constant-time multiplier keeps the operation sequence independent of the
   * scalar's bits.
   */
  byte[] sharedPoint(ECPoint peer) {
    return new ECConstantTimeMultiplier()
        .multiply(peer, privateScalar)
        .normalize()
        .getEncoded(false);
  }

  /** EIP-191 personal_sign of {@code message}. */
  public EthSignature signPersonalMessage(byte[] message) {
    return signDigest(PersonalMessage.digest(message));
  }

  @Override
  public String toString() {
    return "SigningKey[address=" + address + ", privateKey=[REDACTED]]";
  }
}
