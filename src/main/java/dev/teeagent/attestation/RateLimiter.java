package dev.teeagent.attestation;

import java.time.Clock;

/**
 * A token bucket: up to {@code perSecond} permits at once, refilled at {@code perSecond} a second
 * by the given clock. One global bucket, because every client reaches the enclave from gvproxy's
 * address and per-IP limits would mean nothing.
 */
final class RateLimiter {
  private final double perSecond;
  private final Clock clock;
  private double tokens;
  private long lastRefillMillis;

  RateLimiter(int perSecond, Clock clock) {
    if (perSecond < 1) {
      throw new IllegalArgumentException("the rate must be at least 1 per second");
    }
    this.perSecond = perSecond;
    this.clock = clock;
    this.tokens = perSecond;
    this.lastRefillMillis = clock.millis();
  }

  synchronized boolean tryAcquire() {
    long now = clock.millis();
    if (now > lastRefillMillis) {
      tokens = Math.min(perSecond, tokens + (now - lastRefillMillis) * perSecond / 1000.0);
      lastRefillMillis = now;
    }
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
