package dev.teeagent.prompt;

import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Map;

/**
 * The global limit of prompts per minute ({@code prompt_max_per_minute}): at most N prompts in any
 * 60-second window, counted across all clients because every client arrives through the host's
 * address. It protects the operator's key from strangers; beyond it, 429 with Retry-After.
 */
final class PromptRateLimit {
  private static final long WINDOW_MS = 60_000;
  private final Clock clock;
  private final ArrayDeque<Long> admitted = new ArrayDeque<>();

  PromptRateLimit(Clock clock) {
    this.clock = clock;
  }

  /** Counts one prompt, or refuses it when {@code perMinute} were admitted in the last minute. */
  synchronized void admit(int perMinute) {
    long now = clock.millis();
    while (!admitted.isEmpty() && admitted.peekFirst() <= now - WINDOW_MS) {
      admitted.pollFirst();
    }
    if (admitted.size() >= perMinute) {
      // The oldest of the last `perMinute` admissions decides when one more fits.
      long freeAt = nthNewest(perMinute) + WINDOW_MS;
      long seconds = Math.max(1, (freeAt - now + 999) / 1000);
      throw new AgentException(
          ErrorCode.RATE_LIMITED,
          "at most " + perMinute + " prompts per minute; try again in " + seconds + " s",
          Map.of(AgentException.RETRY_AFTER_SECONDS, seconds));
    }
    admitted.addLast(now);
  }

  private long nthNewest(int n) {
    // The limit can drop below what the window holds; skip the surplus oldest entries.
    var it = admitted.iterator();
    for (int skip = admitted.size() - n; skip > 0; skip--) {
      it.next();
    }
    return it.next();
  }
}
