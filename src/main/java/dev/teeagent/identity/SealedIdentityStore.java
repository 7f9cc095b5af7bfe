package dev.teeagent.identity;

import dev.teeagent.custody.AttestedKms;
import dev.teeagent.custody.CustodyException;
import dev.teeagent.custody.RecipientEnvelope;
import dev.teeagent.custody.SealedIdentity;
import dev.teeagent.custody.SealedSnapshot;
import dev.teeagent.custody.UnsealedSnapshot;
import dev.teeagent.nsm.Nsm;
import dev.teeagent.nsm.NsmException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's sealed identity in a {@link SnapshotFolder}: {@code identity.datakey} (the KMS {@code
 * CiphertextBlob} of the data key) and {@code identity.sealed} (key and state, {@link
 * SealedSnapshot}). The data key is only ever obtained as a {@code CiphertextForRecipient} to a
 * fresh RSA key inside an attestation document, so KMS releases it only to code its key policy
 * admits. {@link #open} returns the identity found, or none at a first boot; nothing here mints a
 * key after a refusal: every failure is a {@link CustodyException} whose sentence says why.
 */
public final class SealedIdentityStore {
  static final String PURPOSE = "tee-agent-sealed-identity";
  static final String DATA_KEY_FILE = "identity.datakey";
  static final String SNAPSHOT_FILE = "identity.sealed";

  private final SnapshotFolder folder;
  private final SealedIdentity who;
  private final SecureRandom random;
  private final byte[] dataKey;
  // Read by every signed answer: never behind the lock a store holds while it fsyncs.
  private final AtomicLong counter;

  private SealedIdentityStore(
      SnapshotFolder folder,
      SealedIdentity who,
      SecureRandom random,
      byte[] dataKey,
      long counter) {
    this.folder = folder;
    this.who = who;
    this.random = random;
    this.dataKey = dataKey;
    this.counter = new AtomicLong(counter);
  }

  /** What a boot found: the store to seal further snapshots with, and the unsealed one if any. */
  public record Opened(SealedIdentityStore store, Optional<UnsealedSnapshot> snapshot) {}

  /** The KMS key and the call to reach it. */
  public record Kms(AttestedKms client, String keyId) {}

  /**
   * Opens the identity in {@code folder}. With neither file there (a first boot) or with {@code
   * newIdentity}, asks KMS for a new data key and returns no snapshot (the caller generates its key
   * and seals the first one before listening); the files a new identity replaces are kept beside
   * with a {@code .replaced} suffix. With both files: Decrypt, open, unseal, check.
   */
  public static Opened open(
      SnapshotFolder folder,
      SealedIdentity who,
      Kms kms,
      Nsm nsm,
      boolean newIdentity,
      SecureRandom random)
      throws CustodyException {
    Optional<byte[]> blob = folder.read(SNAPSHOT_FILE);
    Optional<byte[]> wrapped = folder.read(DATA_KEY_FILE);
    KeyPair recipient = rsaKey(random);
    byte[] document = document(nsm, recipient);
    Map<String, String> context =
        Map.of("tee_name", who.teeName(), "operator", who.operator(), "purpose", PURPOSE);
    if (!newIdentity && (blob.isPresent() || wrapped.isPresent())) {
      if (blob.isEmpty() || wrapped.isEmpty()) {
        throw new CustodyException(
            "the state ("
                + folder.where()
                + ") has "
                + (blob.isPresent()
                    ? SNAPSHOT_FILE + " but no " + DATA_KEY_FILE
                    : DATA_KEY_FILE + " but no " + SNAPSHOT_FILE)
                + ": the identity cannot be opened (start with --new-identity to replace it on"
                + " purpose)");
      }
      byte[] envelope = kms.client().decrypt(kms.keyId(), wrapped.get(), context, document);
      byte[] dataKey = RecipientEnvelope.open(envelope, recipient.getPrivate());
      UnsealedSnapshot snapshot = SealedSnapshot.unseal(dataKey, who, blob.get());
      return new Opened(
          new SealedIdentityStore(folder, who, random, dataKey, snapshot.counter()),
          Optional.of(snapshot));
    }
    AttestedKms.DataKey generated = kms.client().generateDataKey(kms.keyId(), context, document);
    byte[] dataKey =
        RecipientEnvelope.open(generated.ciphertextForRecipient(), recipient.getPrivate());
    folder.prepare();
    // What a new identity replaces is kept beside it, never deleted.
    if (blob.isPresent()) {
      folder.write(SNAPSHOT_FILE + ".replaced", blob.get());
    }
    if (wrapped.isPresent()) {
      folder.write(DATA_KEY_FILE + ".replaced", wrapped.get());
    }
    folder.write(DATA_KEY_FILE, generated.ciphertextBlob());
    return new Opened(new SealedIdentityStore(folder, who, random, dataKey, 0), Optional.empty());
  }

  /**
   * Seals {@code privateKey} and {@code state} as the next snapshot and replaces the stored one
   * atomically (temp file, fsync, rename, fsync of the folder); returns its counter.
   */
  public synchronized long store(byte[] privateKey, byte[] state) throws CustodyException {
    long next = counter.get() + 1;
    byte[] sealed = SealedSnapshot.seal(dataKey, who, next, privateKey, state, random);
    folder.write(SNAPSHOT_FILE, sealed);
    counter.set(next);
    return next;
  }

  /** The counter of the last snapshot stored or opened (0 before the first). */
  public long counter() {
    return counter.get();
  }

  private static KeyPair rsaKey(SecureRandom random) throws CustodyException {
    try {
      KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
      rsa.initialize(2048, random);
      return rsa.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new CustodyException("no RSA key for the KMS recipient can be made", e);
    }
  }

  private static byte[] document(Nsm nsm, KeyPair recipient) throws CustodyException {
    try {
      return nsm.attestation(null, null, recipient.getPublic().getEncoded());
    } catch (NsmException e) {
      throw new CustodyException("the NSM gave no attestation document for KMS", e);
    }
  }

  @Override
  public String toString() {
    return "SealedIdentityStore[" + folder.where() + ", " + who + ", counter=" + counter + "]";
  }

  /** Zeroes the data key (at stop). */
  public synchronized void forget() {
    Arrays.fill(dataKey, (byte) 0);
  }
}
