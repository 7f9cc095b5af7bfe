package dev.teeagent.custody;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedDataStreamGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Makes a {@code CiphertextForRecipient} of the shape KMS answers with, for the dev-kms stand-in
 * and tests: BER with indefinite lengths (ContentInfo, EnvelopedData, EncryptedContentInfo and a
 * chunked [0] encrypted content), version 2, one KeyTransRecipientInfo identified by a 32-byte
 * subjectKeyIdentifier (SHA-256 of the recipient's SubjectPublicKeyInfo), RSAES-OAEP SHA-256 and
 * AES-256-CBC with a random IV.
 */
public final class RecipientEnvelopeWriter {
  private static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();
  private static final int CHUNK_BYTES = 1024;

  private RecipientEnvelopeWriter() {}

  public static byte[] seal(byte[] plaintext, PublicKey recipient, SecureRandom random)
      throws CustodyException {
    try {
      byte[] keyId = MessageDigest.getInstance("SHA-256").digest(recipient.getEncoded());
      CMSEnvelopedDataStreamGenerator generator = new CMSEnvelopedDataStreamGenerator();
      generator.setBufferSize(CHUNK_BYTES);
      generator.addRecipientInfoGenerator(
          new JceKeyTransRecipientInfoGenerator(
                  keyId, RecipientEnvelope.RSAES_OAEP_SHA_256, recipient)
              .setProvider(PROVIDER));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (OutputStream content =
          generator.open(
              out,
              new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC)
                  .setSecureRandom(random)
                  .setProvider(PROVIDER)
                  .build())) {
        content.write(plaintext);
      }
      return out.toByteArray();
    } catch (GeneralSecurityException | CMSException | IOException | RuntimeException e) {
      throw new CustodyException("cannot make a CMS envelope for this recipient key", e);
    }
  }
}
