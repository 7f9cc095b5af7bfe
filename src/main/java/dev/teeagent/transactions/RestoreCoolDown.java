package dev.teeagent.transactions;

import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The rule after every restore from a sealed snapshot (DESIGN §9, "Rollback"). The agent cannot
 * tell a restart from a host handing back an older snapshot, so after every restore it denies what
 * an older snapshot would let a host replay: authorizations whose nonces the snapshot does not know
 * were used. Every transaction authorization lives at most {@link #AUTHORIZATION_LIFETIME} (its
 * deadline no further ahead), so one accepted before the restore has a deadline before {@code
 * restored + AUTHORIZATION_LIFETIME}, the end of the cool-down. Until then: open and API-signer
 * signing is paused (503 {@code cooling_down}, Retry-After); an operator authorization is taken
 * only with a deadline after the end (so it cannot predate the restore). Budgets are the ledger's
 * rule ({@link BudgetLedger}).
 */
public final class RestoreCoolDown {
  /** The furthest ahead a transaction authorization's deadline may be. */
  public static final Duration AUTHORIZATION_LIFETIME = Duration.ofHours(1);

  private final Clock clock;
  private volatile Instant restoredAt;

  public RestoreCoolDown(Clock clock) {
    this.clock = clock;
  }

  /** Starts the cool-down of a restore made now (at boot, before serving); returns now. */
  public Instant restored() {
    Instant now = clock.instant();
    restoredAt = now;
    return now;
  }

  /** When the state was restored from a snapshot at this boot; empty for a fresh state. */
  public Optional<Instant> restoredAt() {
    return Optional.ofNullable(restoredAt);
  }

  /** When the pause ends, while it lasts. */
  public Optional<Instant> endsAt() {
    Instant restored = restoredAt;
    if (restored == null) {
      return Optional.empty();
    }
    Instant end = restored.plus(AUTHORIZATION_LIFETIME);
    return clock.instant().isBefore(end) ? Optional.of(end) : Optional.empty();
  }

  /** Refuses a deadline further ahead than {@link #AUTHORIZATION_LIFETIME}. */
  void requireLifetime(BigInteger deadline) {
    long latest = clock.instant().plus(AUTHORIZATION_LIFETIME).getEpochSecond();
    if (deadline.compareTo(BigInteger.valueOf(latest)) > 0) {
      throw new AgentException(
          ErrorCode.DEADLINE_TOO_FAR,
          "the authorization's deadline "
              + deadline
              + " is more than "
              + AUTHORIZATION_LIFETIME.toMinutes()
              + " minutes ahead (latest "
              + latest
              + "): sign it with a nearer deadline");
    }
  }

  /** Refuses what the cool-down pauses for {@code mode} with an authorization {@code deadline}. */
  void require(TransactionPolicy.Mode mode, Optional<BigInteger> deadline) {
    Optional<Instant> end = endsAt();
    if (end.isEmpty()) {
      return;
    }
    long endSecond = end.get().getEpochSecond();
    if (mode == TransactionPolicy.Mode.OPERATOR
        && deadline.orElseThrow().compareTo(BigInteger.valueOf(endSecond)) > 0) {
      return;
    }
    long wait = Math.max(1, Duration.between(clock.instant(), end.get()).toSeconds() + 1);
    String why =
        "the agent's state was restored from a sealed snapshot at "
            + restoredAt
            + ", which may be older than the latest (a host can hand back an old one), so"
            + " authorizations that state does not know were used could be replayed until "
            + end.get()
            + " (unix "
            + endSecond
            + ")";
    String cure =
        mode == TransactionPolicy.Mode.OPERATOR
            ? "; the operator may sign now with a deadline after " + endSecond
            : "; " + mode.wireName() + " signing resumes then";
    throw new AgentException(
        ErrorCode.COOLING_DOWN,
        why + cure,
        Map.of(AgentException.RETRY_AFTER_SECONDS, wait, "cool_down_ends_at", endSecond));
  }
}
