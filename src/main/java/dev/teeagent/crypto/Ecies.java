package dev.teeagent.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.math.ec.ECPoint;

/**
 * ECIES over secp256k1 in exactly the default format of npm {@code eciesjs} 0.5 (DESIGN §5), so an
 * operator can encrypt a secret with stock tools:
 *
 * <pre>
 *   ciphertext = ephemeral public key (65 bytes, uncompressed) ‖ nonce (16) ‖ tag (16) ‖ data
 *   key        = HKDF-SHA256(ikm = ephemeral public key ‖ uncompressed shared point,
 *                            salt = none (32 zero bytes), info = empty, length 32)
 *   cipher     = AES-256-GCM with the 16-byte nonce, no associated data
 * </pre>
 *
 * (eciesjs: {@code Config.isEphemeralKeyCompressed = false}, {@code isHkdfKeyCompressed = false},
 * {@code symmetricNonceLength = 16}; {@code deriveKey} calls {@code hkdf(sha256, master, undefined,
 * undefined, 32)}.)
 */
public final class Ecies {
  static final int EPHEMERAL_KEY_LENGTH = 65;
  static final int NONCE_LENGTH = 16;
  static final int TAG_LENGTH = 16;

  /** Bytes a ciphertext adds to its plaintext. */
  public static final int OVERHEAD = EPHEMERAL_KEY_LENGTH + NONCE_LENGTH + TAG_LENGTH;

  private Ecies() {}

  /** A ciphertext that is not one this key can open; the reason is deliberately not detailed. */
  public static final class InvalidCiphertext extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidCiphertext(String reason) {
      super(reason, null, false, false);
    }
  }

  /** Encrypts {@code plaintext} to an uncompressed secp256k1 public key (0x04‖x‖y). */
  public static byte[] encrypt(byte[] receiverPublicKey, byte[] plaintext, SecureRandom random) {
    ECPoint receiver = Secp256k1.decodeUncompressed(receiverPublicKey);
    SigningKey ephemeral = SigningKey.generate(random);
    byte[] ephemeralPublic = ephemeral.publicKey();
    byte[] key = deriveKey(ephemeralPublic, ephemeral.sharedPoint(receiver));
    byte[] nonce = new byte[NONCE_LENGTH];
    random.nextBytes(nonce);
    byte[] sealed = aesGcm(Cipher.ENCRYPT_MODE, key, nonce, plaintext);
    Arrays.fill(key, (byte) 0);
    int dataLength = sealed.length - TAG_LENGTH;
    byte[] out = new byte[OVERHEAD + dataLength];
    System.arraycopy(ephemeralPublic, 0, out, 0, EPHEMERAL_KEY_LENGTH);
    System.arraycopy(nonce, 0, out, EPHEMERAL_KEY_LENGTH, NONCE_LENGTH);
    System.arraycopy(sealed, dataLength, out, EPHEMERAL_KEY_LENGTH + NONCE_LENGTH, TAG_LENGTH);
    System.arraycopy(sealed, 0, out, OVERHEAD, dataLength);
    return out;
  }

  /** Opens a ciphertext sent to {@code receiver}; refuses bad sizes, bad points and bad tags. */
  public static byte[] decrypt(SigningKey receiver, byte[] ciphertext) throws InvalidCiphertext {
    if (ciphertext == null || ciphertext.length < OVERHEAD) {
      throw new InvalidCiphertext("too short");
    }
    byte[] ephemeralPublic = Arrays.copyOfRange(ciphertext, 0, EPHEMERAL_KEY_LENGTH);
    ECPoint ephemeral;
    try {
      ephemeral = Secp256k1.decodeUncompressed(ephemeralPublic);
    } catch (IllegalArgumentException e) {
      throw new InvalidCiphertext("ephemeral key is not an uncompressed secp256k1 point");
    }
    byte[] key = deriveKey(ephemeralPublic, receiver.sharedPoint(ephemeral));
    byte[] nonce =
        Arrays.copyOfRange(ciphertext, EPHEMERAL_KEY_LENGTH, EPHEMERAL_KEY_LENGTH + NONCE_LENGTH);
    // The JCE wants data ‖ tag; the wire format puts the tag first.
    byte[] sealed = new byte[ciphertext.length - EPHEMERAL_KEY_LENGTH - NONCE_LENGTH];
    int dataLength = sealed.length - TAG_LENGTH;
    System.arraycopy(ciphertext, OVERHEAD, sealed, 0, dataLength);
    System.arraycopy(
        ciphertext, EPHEMERAL_KEY_LENGTH + NONCE_LENGTH, sealed, dataLength, TAG_LENGTH);
    try {
      return aesGcm(Cipher.DECRYPT_MODE, key, nonce, sealed);
    } catch (IllegalStateException failedTag) {
      throw new InvalidCiphertext("authentication failed");
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private static byte[] deriveKey(byte[] ephemeralPublic, byte[] sharedPoint) {
    byte[] ikm = new byte[ephemeralPublic.length + sharedPoint.length];
    System.arraycopy(ephemeralPublic, 0, ikm, 0, ephemeralPublic.length);
    System.arraycopy(sharedPoint, 0, ikm, ephemeralPublic.length, sharedPoint.length);
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(ikm, null, null));
    byte[] key = new byte[32];
    hkdf.generateBytes(key, 0, key.length);
    Arrays.fill(ikm, (byte) 0);
    return key;
  }

  private static byte[] aesGcm(int mode, byte[] key, byte[] nonce, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, nonce));
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      // AEADBadTagException on decryption; nothing else is expected with fixed parameters.
      throw new IllegalStateException("AES-GCM failed");
    }
  }
}
