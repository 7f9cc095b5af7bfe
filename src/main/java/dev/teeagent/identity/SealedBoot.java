package dev.teeagent.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.config.ConfigException;
import dev.teeagent.crypto.Address;
import dev.teeagent.crypto.NativeSecp256k1;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.custody.AttestedKms;
import dev.teeagent.custody.CustodyException;
import dev.teeagent.custody.CustodyStatement;
import dev.teeagent.custody.KeyPolicyAnalyser;
import dev.teeagent.custody.SealedIdentity;
import dev.teeagent.custody.UnsealedSnapshot;
import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import dev.teeagent.nsm.Nsm;
import dev.teeagent.nsm.NsmException;
import dev.teeagent.tls.TlsIdentity;
import dev.teeagent.transactions.NonceTracker;
import dev.teeagent.transactions.RestoreCoolDown;
import dev.teeagent.verifier.AttestedCustody;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The boot of an agent with {@code --state-dir}: opens (or, at a first boot or with {@code
 * --new-identity}, creates) its sealed identity through KMS before any key exists, gives the key,
 * restores the state into the live parts, stores the first snapshot before the agent listens, and
 * from then on stores one after every change, under the state lock and before the change is
 * answered. Any refusal stops the start with one sentence; no key is minted after a failed unseal.
 */
public final class SealedBoot implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SealedBoot.class);

  private final IdentitySettings settings;
  private final AttestedKms kms;
  private final SealedIdentityStore store;
  private Optional<UnsealedSnapshot> found;
  private final CustodyStatement custody;
  private SigningKey key;
  private TlsIdentity tls;
  private boolean attached;
  private StateDocument.Parts parts;

  private SealedBoot(
      IdentitySettings settings,
      AttestedKms kms,
      SealedIdentityStore store,
      Optional<UnsealedSnapshot> found,
      CustodyStatement custody) {
    this.settings = settings;
    this.kms = kms;
    this.store = store;
    this.found = found;
    this.custody = custody;
  }

  /**
   * What {@code /config} shows under {@code identity}: besides the custody, the rule after a
   * restore (DESIGN §9 "Rollback"): when the state was restored (unix ms; null at a first boot or
   * with a new identity), when the pause of open and API-signer signing ends and until when the
   * budget counts as spent (unix seconds; null once over), and any rollback a chain revealed.
   */
  public record View(
      boolean persisted,
      boolean newIdentityOnPurpose,
      long snapshotCounter,
      String stateDir,
      CustodyStatement custody,
      Long restoredAt,
      Long coolDownEndsAt,
      Long budgetCountedSpentUntil,
      boolean rollbackDetected,
      List<NonceTracker.Rollback> rollbackEvidence) {}

  public static SealedBoot open(
      IdentitySettings settings, String teeName, Address operator, Nsm nsm, SecureRandom random) {
    AttestedKms kms = AttestedKms.connect(settings.kms());
    try {
      SealedIdentityStore.Opened opened =
          SealedIdentityStore.open(
              settings.folder(),
              new SealedIdentity(teeName, operator.checksummed()),
              new SealedIdentityStore.Kms(kms, settings.keyId()),
              nsm,
              settings.newIdentity(),
              random);
      return new SealedBoot(
          settings, kms, opened.store(), opened.snapshot(), custody(kms, settings.keyId(), nsm));
    } catch (CustodyException e) {
      kms.close();
      throw new ConfigException(
          settings.folder().where()
              + ": the sealed identity cannot be opened, so the agent does not start: "
              + e.getMessage()
              + " (it opens only with the --tee-name and --operator it was made with, under code"
              + " its KMS key policy admits; --new-identity replaces it on purpose)");
    }
  }

  /** The sealed key, or (first boot, new identity) a fresh one. */
  public SigningKey key(SecureRandom random, Optional<NativeSecp256k1> nativeSigner) {
    if (key == null) {
      key =
          found
              .map(snapshot -> sealedKey(snapshot, nativeSigner))
              .orElseGet(() -> SigningKey.generate(random, nativeSigner));
    }
    return key;
  }

  /**
   * The TLS identity kept in the sealed state, or (first boot, new identity, or an identity made
   * before HTTPS was turned on) a fresh one that every snapshot from {@link #attach} on keeps.
   */
  public TlsIdentity tls(String commonName, ObjectMapper mapper, SecureRandom random, Clock clock) {
    if (attached) {
      throw new IllegalStateException("the TLS identity is settled before the state is attached");
    }
    if (tls == null) {
      tls = storedTls(mapper).orElseGet(() -> TlsIdentity.generate(commonName, random, clock));
    }
    return tls;
  }

  private Optional<TlsIdentity> storedTls(ObjectMapper mapper) {
    if (found.isEmpty()) {
      return Optional.empty();
    }
    try {
      return StateDocument.storedTls(mapper, found.get().state());
    } catch (StateDocument.StateRefused e) {
      throw notRestored(e);
    }
  }

  /**
   * Restores the unsealed state into {@code parts}, stores a snapshot of it (the first one at a
   * first boot), and stores one on every commit from now on.
   */
  public void attach(StateDocument.Parts parts, ObjectMapper mapper, SecureRandom random) {
    if (tls == null) {
      // This boot has no HTTPS: a TLS key kept earlier is carried on, for when it is turned back
      // on.
      tls = storedTls(mapper).orElse(null);
    }
    attached = true;
    this.parts = parts;
    StateDocument document = new StateDocument(parts, mapper, random, Optional.ofNullable(tls));
    try {
      if (found.isPresent()) {
        document.restore(found.get().state());
      }
      store(document);
      LOG.info(
          "sealed identity {} in {} (snapshot {}, custody {})",
          found.isPresent()
              ? "restored"
              : settings.newIdentity() ? "replaced on purpose" : "created",
          settings.folder().place(),
          store.counter(),
          custody.locked() ? "locked" : "NOT locked: " + String.join("; ", custody.reasons()));
    } catch (StateDocument.StateRefused | CustodyException e) {
      throw notRestored(e);
    }
    // The unsealed copy (key and state) is not kept once it has been restored.
    found = Optional.empty();
    parts
        .state()
        .onCommit(
            () -> {
              try {
                store(document);
              } catch (CustodyException e) {
                LOG.error("the sealed snapshot was not stored: {}", e.getMessage());
                throw new AgentException(
                    ErrorCode.STATE_NOT_STORED,
                    "the change was made but its sealed snapshot could not be stored; the agent's"
                        + " host must fix its state folder");
              }
            });
  }

  private ConfigException notRestored(Exception e) {
    return new ConfigException(
        settings.folder().where()
            + ": the sealed state cannot be restored, so the agent does not start: "
            + e.getMessage());
  }

  private void store(StateDocument document) throws CustodyException {
    byte[] privateKey = key.privateKeyForSealing();
    try {
      store.store(privateKey, document.capture());
    } finally {
      Arrays.fill(privateKey, (byte) 0);
    }
  }

  /** The counter of the last snapshot stored (0 before the first). */
  public long counter() {
    return store.counter();
  }

  public View view() {
    RestoreCoolDown coolDown = parts.policy().coolDown();
    List<NonceTracker.Rollback> rollbacks = parts.chainNonces().rollbacks();
    return new View(
        true,
        settings.newIdentity(),
        store.counter(),
        settings.folder().place(),
        custody,
        coolDown.restoredAt().map(Instant::toEpochMilli).orElse(null),
        coolDown.endsAt().map(Instant::getEpochSecond).orElse(null),
        parts.policy().budgetCountedSpentUntil().map(Instant::getEpochSecond).orElse(null),
        !rollbacks.isEmpty(),
        rollbacks);
  }

  /** The custody statement as every attestation's user_data binds it (DESIGN §4). */
  public AttestedCustody attestedCustody() {
    return new AttestedCustody(
        custody.keyId(), custody.origin(), custody.policySha256(), custody.locked());
  }

  private static SigningKey sealedKey(
      UnsealedSnapshot snapshot, Optional<NativeSecp256k1> nativeSigner) {
    byte[] scalar = snapshot.privateKey();
    try {
      return SigningKey.fromSealed(scalar, nativeSigner);
    } finally {
      Arrays.fill(scalar, (byte) 0);
    }
  }

  /** The custody statement; a key that cannot be read is reported as not locked, with why. */
  private static CustodyStatement custody(AttestedKms kms, String keyId, Nsm nsm) {
    try {
      return KeyPolicyAnalyser.analyse(
          kms.describeKey(keyId),
          kms.keyPolicy(keyId),
          kms.listGrants(keyId),
          nsm.describePcr(0).data());
    } catch (CustodyException | NsmException e) {
      return new CustodyStatement(keyId, null, null, false, List.of(e.getMessage()));
    }
  }

  @Override
  public void close() {
    store.forget();
    kms.close();
  }
}
