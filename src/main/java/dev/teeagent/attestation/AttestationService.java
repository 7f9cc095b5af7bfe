package dev.teeagent.attestation;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.crypto.Address;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import dev.teeagent.nsm.AttestationMode;
import dev.teeagent.nsm.Nsm;
import dev.teeagent.nsm.NsmException;
import dev.teeagent.verifier.AttestationDocument;
import dev.teeagent.verifier.AttestationVerificationException;
import dev.teeagent.verifier.AttestedCustody;
import dev.teeagent.verifier.CoseSign1;
import dev.teeagent.verifier.UserDataPreimage;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of attestation: fresh documents binding the agent key and its state to the
 * caller's nonce, the cached nonce-less {@code code_attestation}, and the clock check. Every NSM
 * call goes through one lock; client requests also pass one global rate limit.
 */
public final class AttestationService {
  private static final Logger LOG = LoggerFactory.getLogger(AttestationService.class);

  /**
   * The agent's own user_data, nonce and public_key stay within 512 bytes each (DESIGN §6), so
   * verifiers stricter than AWS's 1024-byte CDDL accept its documents.
   */
  static final int MAX_OWN_FIELD_BYTES = 512;

  private final Nsm nsm;
  private final String teeName;
  private final Address operator;
  private final SigningKey agentKey;
  private final Supplier<String> stateHash;
  private final ObjectMapper mapper;
  private final RateLimiter limiter;
  private final ClockCheck clockCheck;
  private final Optional<String> tlsSpkiSha256;
  private final Optional<AttestedCustody> custody;
  private final ReentrantLock nsmLock = new ReentrantLock();
  private volatile Attestation codeAttestation;

  /** A document the NSM produced, its decoded fields and the user_data preimage it commits to. */
  public record Attestation(
      byte[] document, AttestationDocument fields, UserDataPreimage userDataPreimage) {}

  /** The limits of {@link AttestationService}. */
  public record Limits(int perSecond, Duration maxClockSkew) {}

  /**
   * @param tlsSpkiSha256 the pin of the agent's TLS key, bound in every document's user_data
   * @param custody the custody statement of a sealed identity, bound in every document's user_data
   */
  public AttestationService(
      Nsm nsm,
      String teeName,
      Address operator,
      SigningKey agentKey,
      Supplier<String> stateHash,
      ObjectMapper mapper,
      Limits limits,
      Clock clock,
      Optional<String> tlsSpkiSha256,
      Optional<AttestedCustody> custody) {
    this.tlsSpkiSha256 = tlsSpkiSha256;
    this.custody = custody;
    this.nsm = nsm;
    this.teeName = teeName;
    this.operator = operator;
    this.agentKey = agentKey;
    this.stateHash = stateHash;
    this.mapper = mapper;
    this.limiter = new RateLimiter(limits.perSecond(), clock);
    this.clockCheck = new ClockCheck(clock, limits.maxClockSkew());
  }

  public AttestationMode mode() {
    return nsm.mode();
  }

  /**
   * A fresh document for the caller's nonce. 429 beyond the global rate; 503 when the NSM fails
   * (its error text is logged, never answered).
   */
  public Attestation attest(byte[] nonce) {
    if (!limiter.tryAcquire()) {
      // The bucket refills perSecond tokens a second, so one is back within a second.
      throw AgentException.rateLimited("too many attestation requests; retry in a second", 1);
    }
    try {
      return produce(nonce);
    } catch (NsmException e) {
      LOG.error("attestation failed: {}", e.getMessage());
      throw new AgentException(
          ErrorCode.ATTESTATION_UNAVAILABLE, "the NSM could not produce an attestation document");
    }
  }

  /** The pin of the TLS key every document binds; empty when HTTPS is off. */
  public Optional<String> tlsSpkiSha256() {
    return tlsSpkiSha256;
  }

  /** The latest nonce-less document (proves identity, not freshness). */
  public Optional<Attestation> codeAttestation() {
    return Optional.ofNullable(codeAttestation);
  }

  /**
   * Takes a fresh nonce-less document: it becomes {@code code_attestation}, and its signed
   * timestamp is compared with the agent's clock. Called at boot and hourly.
   */
  public void refresh() throws NsmException {
    Attestation fresh = produce(null);
    codeAttestation = fresh;
    Duration skew = clockCheck.observe(fresh.fields().timestamp());
    if (!clockCheck.inSync()) {
      LOG.error(
          "clock skew of {} ms against the NSM's signed time: answering 503", skew.toMillis());
    }
  }

  /** {@link #refresh()} for the scheduler: failures are logged and the last results kept. */
  public void refreshLoggingFailures() {
    try {
      refresh();
    } catch (NsmException | RuntimeException e) {
      LOG.error("hourly attestation refresh failed: {}", e.getMessage());
    }
  }

  /** Throws 503 clock_skew while the last check found the clock beyond the bound. */
  public void requireClockInSync() {
    clockCheck.requireInSync();
  }

  private Attestation produce(byte[] nonce) throws NsmException {
    UserDataPreimage preimage =
        new UserDataPreimage(
            teeName,
            operator.checksummed(),
            agentKey.address().checksummed(),
            stateHash.get(),
            tlsSpkiSha256.orElse(null),
            custody.orElse(null));
    byte[] userData = preimage.userData(mapper);
    byte[] publicKey = agentKey.publicKey();
    for (byte[] field : new byte[][] {userData, nonce, publicKey}) {
      if (field != null && field.length > MAX_OWN_FIELD_BYTES) {
        throw new IllegalArgumentException("an attestation field is over 512 bytes");
      }
    }
    byte[] document;
    nsmLock.lock();
    try {
      document = nsm.attestation(userData, nonce, publicKey);
    } finally {
      nsmLock.unlock();
    }
    try {
      return new Attestation(
          document, AttestationDocument.parse(CoseSign1.parse(document).payload()), preimage);
    } catch (AttestationVerificationException e) {
      throw new NsmException.ProtocolFailure("the NSM's document is malformed: " + e.reason());
    }
  }
}
