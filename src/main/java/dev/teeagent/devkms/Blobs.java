package dev.teeagent.devkms;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The stand-in's CiphertextBlob (opaque to clients, as KMS's is): "DKM1" | key id length u8 | key
 * id | nonce(12) | AES-256-GCM(plaintext), the AAD binding magic, key id and the encryption context
 * (sorted, length-prefixed), so that a changed context fails exactly as on KMS.
 */
final class Blobs {
  private static final byte[] MAGIC = "DKM1".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_BLOB_BYTES = 6144;

  private Blobs() {}

  static byte[] seal(DevKey key, byte[] plaintext, Map<String, String> context, SecureRandom random)
      throws KmsError {
    byte[] id = key.keyId().getBytes(StandardCharsets.US_ASCII);
    byte[] nonce = new byte[12];
    random.nextBytes(nonce);
    byte[] header =
        ByteBuffer.allocate(MAGIC.length + 1 + id.length + nonce.length)
            .put(MAGIC)
            .put((byte) id.length)
            .put(id)
            .put(nonce)
            .array();
    byte[] sealed = crypt(Cipher.ENCRYPT_MODE, key, nonce, aad(header, context), plaintext);
    return ByteBuffer.allocate(header.length + sealed.length).put(header).put(sealed).array();
  }

  /** The key id a blob names (to find its key), or InvalidCiphertextException. */
  static String keyId(byte[] blob) throws KmsError {
    try {
      ByteBuffer in = ByteBuffer.wrap(blob);
      byte[] magic = new byte[MAGIC.length];
      in.get(magic);
      if (blob.length > MAX_BLOB_BYTES || !java.util.Arrays.equals(magic, MAGIC)) {
        throw invalid();
      }
      byte[] id = new byte[Byte.toUnsignedInt(in.get())];
      in.get(id);
      return new String(id, StandardCharsets.US_ASCII);
    } catch (BufferUnderflowException e) {
      throw invalid();
    }
  }

  static byte[] open(DevKey key, byte[] blob, Map<String, String> context) throws KmsError {
    int headerLength = MAGIC.length + 1 + Byte.toUnsignedInt(blob[MAGIC.length]) + 12;
    if (blob.length < headerLength + 16) {
      throw invalid();
    }
    byte[] header = java.util.Arrays.copyOf(blob, headerLength);
    byte[] nonce = java.util.Arrays.copyOfRange(header, headerLength - 12, headerLength);
    byte[] sealed = java.util.Arrays.copyOfRange(blob, headerLength, blob.length);
    return crypt(Cipher.DECRYPT_MODE, key, nonce, aad(header, context), sealed);
  }

  static KmsError invalid() {
    return new KmsError(
        "InvalidCiphertextException",
        "the ciphertext is damaged, of another key, or its encryption context differs");
  }

  private static byte[] aad(byte[] header, Map<String, String> sortedContext) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header);
    for (Map.Entry<String, String> entry : sortedContext.entrySet()) {
      for (String part : new String[] {entry.getKey(), entry.getValue()}) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.writeBytes(bytes);
      }
    }
    return out.toByteArray();
  }

  private static byte[] crypt(int mode, DevKey key, byte[] nonce, byte[] aad, byte[] input)
      throws KmsError {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          mode,
          new SecretKeySpec(Base64.getDecoder().decode(key.material()), "AES"),
          new GCMParameterSpec(128, nonce));
      cipher.updateAAD(aad);
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw invalid();
    }
  }
}
