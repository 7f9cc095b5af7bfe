package dev.teeagent.attestation;

import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Compares the agent's clock with the signed timestamp of fresh NSM documents (at boot and hourly).
 * The enclave's clock is the KVM clock, which the host cannot set but which nothing corrects
 * either; beyond {@code bound} the agent refuses to answer (503 clock_skew), since deadlines and
 * signed timestamps would be wrong.
 */
final class ClockCheck {
  private final Clock clock;
  private final Duration bound;
  private volatile Duration skew = Duration.ZERO;

  ClockCheck(Clock clock, Duration bound) {
    this.clock = clock;
    this.bound = bound;
  }

  /** Records the skew against a document signed at {@code signedTime}; returns it. */
  Duration observe(Instant signedTime) {
    skew = Duration.between(signedTime, clock.instant());
    return skew;
  }

  boolean inSync() {
    return skew.abs().compareTo(bound) <= 0;
  }

  Duration skew() {
    return skew;
  }

  void requireInSync() {
    Duration current = skew;
    if (current.abs().compareTo(bound) > 0) {
      throw new AgentException(
          ErrorCode.CLOCK_SKEW,
          "the agent's clock is "
              + current.toMillis() / 1000
              + " s off the NSM's signed time (bound "
              + bound.toSeconds()
              + " s); it refuses to answer until the clock is back within bound");
    }
  }
}
