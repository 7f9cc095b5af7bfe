package dev.teeagent.custody;

import dev.teeagent.crypto.Utf8;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The sealed snapshot format, version 1: an agent's key and state under AES-256-GCM with a data key
 * from KMS. Layout (all integers big-endian):
 *
 * <pre>
 * header  = "TEEAGSNP" | version u8 (=1) | counter u64 | name u16+UTF-8 | operator u16+UTF-8
 *           | nonce (12 random bytes)
 * blob    = header | AES-256-GCM(payload, aad = header) (ciphertext | 16-byte tag)
 * payload = key length u16 | key | state length u32 | state
 * </pre>
 *
 * The whole header is the additional data, so version, counter, TEE name and operator are all
 * authenticated; they are in clear so that a refusal can name what it found. Parsing is strict:
 * every length is checked against the bytes present and nothing may follow. Pure library.
 */
public final class SealedSnapshot {
  public static final int VERSION = 1;
  public static final int MAX_STATE_BYTES = 64 * 1024 * 1024;
  static final int MAX_KEY_BYTES = 1024;
  private static final byte[] MAGIC = "TEEAGSNP".getBytes(StandardCharsets.US_ASCII);
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int DATA_KEY_BYTES = 32;

  private SealedSnapshot() {}

  public static byte[] seal(
      byte[] dataKey,
      SealedIdentity identity,
      long counter,
      byte[] privateKey,
      byte[] state,
      SecureRandom random)
      throws CustodyException {
    checkDataKey(dataKey);
    if (counter < 0) {
      throw new IllegalArgumentException("the snapshot counter is negative");
    }
    if (privateKey.length == 0 || privateKey.length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException("the sealed key must be 1.." + MAX_KEY_BYTES + " bytes");
    }
    if (state.length > MAX_STATE_BYTES) {
      throw new IllegalArgumentException("the state is larger than " + MAX_STATE_BYTES + " bytes");
    }
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] header = header(identity, counter, nonce);
    ByteBuffer payload = ByteBuffer.allocate(2 + privateKey.length + 4 + state.length);
    payload.putShort((short) privateKey.length).put(privateKey).putInt(state.length).put(state);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, dataKey, nonce);
      cipher.updateAAD(header);
      byte[] sealed = cipher.doFinal(payload.array());
      return ByteBuffer.allocate(header.length + sealed.length).put(header).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new CustodyException("the snapshot cannot be sealed", e);
    } finally {
      Arrays.fill(payload.array(), (byte) 0);
    }
  }

  /**
   * The key and state in {@code blob}, after checking it was sealed in this format for {@code
   * expected} under {@code dataKey}. The caller compares the returned counter with the last one it
   * knows (rollback).
   */
  public static UnsealedSnapshot unseal(byte[] dataKey, SealedIdentity expected, byte[] blob)
      throws CustodyException {
    checkDataKey(dataKey);
    ByteBuffer in = ByteBuffer.wrap(blob);
    byte[] header;
    long counter;
    byte[] nonce = new byte[NONCE_BYTES];
    try {
      byte[] magic = new byte[MAGIC.length];
      in.get(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new CustodyException("this is not a TEE Agent sealed snapshot");
      }
      int version = Byte.toUnsignedInt(in.get());
      if (version != VERSION) {
        throw new CustodyException(
            "the sealed snapshot is format version "
                + version
                + "; this agent reads version "
                + VERSION);
      }
      counter = in.getLong();
      if (counter < 0) {
        throw new CustodyException("the sealed snapshot's counter is out of range");
      }
      SealedIdentity found = new SealedIdentity(text(in), text(in));
      if (!found.equals(expected)) {
        throw new CustodyException(
            "the sealed snapshot belongs to " + found + ", not to this " + expected);
      }
      in.get(nonce);
      header = Arrays.copyOf(blob, in.position());
    } catch (BufferUnderflowException e) {
      throw truncated(blob);
    } catch (IllegalArgumentException e) {
      throw new CustodyException("the sealed snapshot's header is malformed", e);
    }
    if (in.remaining() < TAG_BITS / 8 + 2 + 4) {
      throw truncated(blob);
    }
    byte[] payload;
    try {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, dataKey, nonce);
      cipher.updateAAD(header);
      payload = cipher.doFinal(blob, in.position(), in.remaining());
    } catch (AEADBadTagException e) {
      throw new CustodyException(
          "the sealed snapshot fails authentication: it was altered, cut short, or sealed under"
              + " another data key");
    } catch (GeneralSecurityException e) {
      throw new CustodyException("the sealed snapshot cannot be decrypted", e);
    }
    try {
      return payload(counter, payload);
    } finally {
      Arrays.fill(payload, (byte) 0);
    }
  }

  private static UnsealedSnapshot payload(long counter, byte[] payload) throws CustodyException {
    // Authenticated, so a bad layout here is our own bug or a key misuse: still refuse cleanly.
    ByteBuffer in = ByteBuffer.wrap(payload);
    try {
      int keyLength = Short.toUnsignedInt(in.getShort());
      if (keyLength == 0 || keyLength > MAX_KEY_BYTES) {
        throw new CustodyException("the sealed snapshot's key length is out of range");
      }
      byte[] key = new byte[keyLength];
      in.get(key);
      int stateLength = in.getInt();
      if (stateLength < 0 || stateLength != in.remaining()) {
        throw new CustodyException("the sealed snapshot's state length does not match its bytes");
      }
      byte[] state = new byte[stateLength];
      in.get(state);
      UnsealedSnapshot snapshot = new UnsealedSnapshot(counter, key, state);
      Arrays.fill(key, (byte) 0);
      return snapshot;
    } catch (BufferUnderflowException e) {
      throw new CustodyException("the sealed snapshot's payload is cut short");
    }
  }

  private static byte[] header(SealedIdentity identity, long counter, byte[] nonce) {
    byte[] name = identity.teeName().getBytes(StandardCharsets.UTF_8);
    byte[] operator = identity.operator().getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(MAGIC.length + 1 + 8 + 2 + name.length + 2 + operator.length + 12)
        .put(MAGIC)
        .put((byte) VERSION)
        .putLong(counter)
        .putShort((short) name.length)
        .put(name)
        .putShort((short) operator.length)
        .put(operator)
        .put(nonce)
        .array();
  }

  private static String text(ByteBuffer in) throws CustodyException {
    int length = Short.toUnsignedInt(in.getShort());
    if (length > SealedIdentity.MAX_FIELD_BYTES) {
      throw new CustodyException("the sealed snapshot's header is malformed");
    }
    byte[] bytes = new byte[length];
    in.get(bytes);
    return Utf8.decodeStrict(bytes)
        .orElseThrow(() -> new CustodyException("the sealed snapshot's header is malformed"));
  }

  private static Cipher cipher(int mode, byte[] dataKey, byte[] nonce)
      throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, new SecretKeySpec(dataKey, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
    return cipher;
  }

  private static void checkDataKey(byte[] dataKey) {
    if (dataKey == null || dataKey.length != DATA_KEY_BYTES) {
      throw new IllegalArgumentException("the data key must be 32 bytes (AES-256)");
    }
  }

  private static CustodyException truncated(byte[] blob) {
    return new CustodyException(
        "the sealed snapshot is cut short ("
            + blob.length
            + " bytes): the host kept an incomplete"
            + " copy");
  }
}
