package dev.teeagent.prompt;

import dev.teeagent.error.AgentException;
import java.time.Clock;
import java.util.Arrays;

/**
 * The global limit of prompts per minute ({@code prompt_max_per_minute}), counted across all
 * clients because every client arrives through the host's address. It protects the operator's key
 * from strangers; beyond it, 429 with Retry-After. Counts are kept per second for the last 60
 * seconds, so memory stays fixed whatever the limit.
 */
final class PromptRateLimit {
  private static final int WINDOW_SECONDS = 60;
  private final Clock clock;
  private final long[] second = new long[WINDOW_SECONDS];
  private final long[] count = new long[WINDOW_SECONDS];

  PromptRateLimit(Clock clock) {
    this.clock = clock;
    Arrays.fill(second, Long.MIN_VALUE);
  }

  /** Refuses as {@link #admit} would, without counting: the check made before a body is read. */
  synchronized void check(int perMinute) {
    refuseIfFull(perMinute, Math.floorDiv(clock.millis(), 1000));
  }

  /** Counts one prompt, or refuses it when {@code perMinute} were admitted in the last minute. */
  synchronized void admit(int perMinute) {
    long now = Math.floorDiv(clock.millis(), 1000);
    refuseIfFull(perMinute, now);
    int slot = Math.floorMod(now, WINDOW_SECONDS);
    if (second[slot] != now) {
      second[slot] = now;
      count[slot] = 0;
    }
    count[slot]++;
  }

  private void refuseIfFull(int perMinute, long now) {
    long total = 0;
    for (int i = 0; i < WINDOW_SECONDS; i++) {
      total += isLive(i, now) ? count[i] : 0;
    }
    if (total >= perMinute) {
      long seconds = secondsUntilRoom(now, total - perMinute + 1);
      throw AgentException.rateLimited(
          "at most " + perMinute + " prompts per minute; try again in " + seconds + " s", seconds);
    }
  }

  private boolean isLive(int slot, long now) {
    return second[slot] > now - WINDOW_SECONDS && second[slot] <= now;
  }

  /** Seconds until the oldest admissions that must expire (at least {@code excess}) have. */
  private long secondsUntilRoom(long now, long excess) {
    long freed = 0;
    for (long s = now - WINDOW_SECONDS + 1; s <= now; s++) {
      int slot = Math.floorMod(s, WINDOW_SECONDS);
      freed += second[slot] == s ? count[slot] : 0;
      if (freed >= excess) {
        return Math.max(1, s + WINDOW_SECONDS - now);
      }
    }
    return WINDOW_SECONDS;
  }
}
