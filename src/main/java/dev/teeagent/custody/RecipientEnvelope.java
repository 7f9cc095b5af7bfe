package dev.teeagent.custody;

import java.security.PrivateKey;
import java.util.Collection;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAESOAEPparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.KeyTransRecipientInformation;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Opens a KMS {@code CiphertextForRecipient}: a CMS EnvelopedData (RFC 5652) whose one
 * KeyTransRecipientInfo carries the content key under RSAES-OAEP with SHA-256 (MGF1 SHA-256), and
 * whose content is encrypted with AES-256-CBC. Real KMS answers are BER with indefinite lengths and
 * a chunked encrypted content; BouncyCastle's parser reads BER. Anything else — other algorithms,
 * several recipients, a key that does not unwrap — is refused with a sentence of our own.
 */
public final class RecipientEnvelope {
  /** The only key encryption AWS KMS uses for a Nitro recipient (RSAES_OAEP_SHA_256). */
  public static final AlgorithmIdentifier RSAES_OAEP_SHA_256 =
      new AlgorithmIdentifier(
          PKCSObjectIdentifiers.id_RSAES_OAEP,
          new RSAESOAEPparams(
              new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE),
              new AlgorithmIdentifier(
                  PKCSObjectIdentifiers.id_mgf1,
                  new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE)),
              RSAESOAEPparams.DEFAULT_P_SOURCE_ALGORITHM));

  /** Far above any KMS answer (a data key or ≤ 4 KiB plaintext, ~1.5 KiB of CMS around it). */
  public static final int MAX_BYTES = 16 * 1024;

  private static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();

  private RecipientEnvelope() {}

  /** The plaintext inside {@code cms}, opened with the recipient's RSA private key. */
  public static byte[] open(byte[] cms, PrivateKey recipientKey) throws CustodyException {
    if (cms == null || cms.length == 0) {
      throw new CustodyException("the CMS envelope is empty");
    }
    if (cms.length > MAX_BYTES) {
      throw new CustodyException("the CMS envelope is larger than " + MAX_BYTES + " bytes");
    }
    CMSEnvelopedData envelope;
    try {
      envelope = new CMSEnvelopedData(cms);
    } catch (CMSException | RuntimeException e) {
      throw new CustodyException("the CMS envelope is not a well-formed EnvelopedData", e);
    }
    if (!NISTObjectIdentifiers.id_aes256_CBC.getId().equals(envelope.getEncryptionAlgOID())) {
      throw new CustodyException(
          "the CMS content is not encrypted with AES-256-CBC ("
              + envelope.getEncryptionAlgOID()
              + ")");
    }
    Collection<RecipientInformation> recipients = envelope.getRecipientInfos().getRecipients();
    if (recipients.size() != 1
        || !(recipients.iterator().next() instanceof KeyTransRecipientInformation recipient)) {
      throw new CustodyException(
          "the CMS envelope must have exactly one key-transport recipient, it has "
              + recipients.size());
    }
    if (!sameAlgorithm(recipient.getKeyEncryptionAlgorithm(), RSAES_OAEP_SHA_256)) {
      throw new CustodyException(
          "the CMS content key is not wrapped with RSAES-OAEP SHA-256 (MGF1 SHA-256)");
    }
    try {
      return recipient.getContent(
          new JceKeyTransEnvelopedRecipient(recipientKey).setProvider(PROVIDER));
    } catch (CMSException | RuntimeException e) {
      throw new CustodyException(
          "the CMS envelope cannot be opened with this enclave's key: it was made for another key"
              + " or is damaged",
          e);
    }
  }

  private static boolean sameAlgorithm(AlgorithmIdentifier actual, AlgorithmIdentifier expected) {
    if (!actual.getAlgorithm().equals(expected.getAlgorithm())) {
      return false;
    }
    ASN1Encodable parameters = actual.getParameters();
    // RFC 4055 lets the SHA-256 AlgorithmIdentifiers carry NULL or no parameters: compare decoded.
    try {
      RSAESOAEPparams oaep = RSAESOAEPparams.getInstance(parameters);
      return oaep.getHashAlgorithm().getAlgorithm().equals(NISTObjectIdentifiers.id_sha256)
          && oaep.getMaskGenAlgorithm().getAlgorithm().equals(PKCSObjectIdentifiers.id_mgf1)
          && AlgorithmIdentifier.getInstance(oaep.getMaskGenAlgorithm().getParameters())
              .getAlgorithm()
              .equals(NISTObjectIdentifiers.id_sha256)
          && oaep.getPSourceAlgorithm().equals(RSAESOAEPparams.DEFAULT_P_SOURCE_ALGORITHM);
    } catch (RuntimeException e) {
      return false;
    }
  }
}
