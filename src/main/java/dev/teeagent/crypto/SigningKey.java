package dev.teeagent.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
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
  private final byte[] publicKey;
  private final Address address;

  private SigningKey(BigInteger privateScalar) {
    this.privateScalar = privateScalar;
    this.publicKey = Secp256k1.publicKeyOf(privateScalar);
    this.address = Secp256k1.addressOf(publicKey);
  }

  /** A fresh key, uniformly random in [1, n-1]. */
  public static SigningKey generate(SecureRandom random) {
    byte[] candidate = new byte[32];
    while (true) {
      random.nextBytes(candidate);
      BigInteger d = new BigInteger(1, candidate);
      java.util.Arrays.fill(candidate, (byte) 0);
      if (d.signum() > 0 && d.compareTo(Secp256k1.N) < 0) {
        return new SigningKey(d);
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
    return new SigningKey(d);
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
    return Secp256k1.sign(digest, privateScalar);
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
