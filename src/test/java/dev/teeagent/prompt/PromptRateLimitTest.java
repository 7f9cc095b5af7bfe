package dev.teeagent.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PromptRateLimitTest {
  /** A clock the test moves by hand. */
  private static final class HandClock extends Clock {
    private long millis = 1_753_887_000_000L;

    void advance(long by) {
      millis += by;
    }

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @Test
  void admitsTheLimitThenRefusesWithRetryAfterUntilTheOldestLeavesTheWindow() {
    HandClock clock = new HandClock();
    PromptRateLimit limit = new PromptRateLimit(clock);
    limit.admit(3);
    clock.advance(10_000);
    limit.admit(3);
    limit.admit(3);
    AgentException refused = catchThrowableOfType(AgentException.class, () -> limit.admit(3));
    assertThat(refused.code()).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(refused.details()).containsEntry(AgentException.RETRY_AFTER_SECONDS, 50L);

    clock.advance(49_000);
    assertThatThrownBy(() -> limit.admit(3)).isInstanceOf(AgentException.class);
    clock.advance(1_000);
    limit.admit(3); // the first admission has left the 60 s window
    assertThatThrownBy(() -> limit.admit(3)).isInstanceOf(AgentException.class);
  }

  @Test
  void aLoweredLimitWaitsForEnoughOldAdmissionsToExpire() {
    HandClock clock = new HandClock();
    PromptRateLimit limit = new PromptRateLimit(clock);
    for (int i = 0; i < 4; i++) {
      limit.admit(10);
      clock.advance(5_000);
    }
    // 4 in the window (at 0, 5, 10, 15 s; now 20 s): for one more under a limit of 2, the three
    // oldest must leave; the third leaves at 70 s.
    AgentException refused = catchThrowableOfType(AgentException.class, () -> limit.admit(2));
    assertThat(refused.details()).containsEntry(AgentException.RETRY_AFTER_SECONDS, 50L);
  }

  @Property(tries = 50)
  void neverAdmitsMoreThanTheLimitInAnySixtySeconds(
      @ForAll @IntRange(min = 1, max = 20) int perMinute,
      @ForAll @IntRange(min = 0, max = 3_000) int stepMillis) {
    HandClock clock = new HandClock();
    PromptRateLimit limit = new PromptRateLimit(clock);
    java.util.List<Long> admitted = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      try {
        limit.admit(perMinute);
        admitted.add(clock.millis());
      } catch (AgentException refused) {
        assertThat(refused.details().get(AgentException.RETRY_AFTER_SECONDS))
            .isInstanceOf(Long.class);
      }
      clock.advance(stepMillis);
    }
    for (long at : admitted) {
      // Counted per whole second: a window is the 60 seconds ending with `at`'s second.
      long from = Math.floorDiv(at, 1000) * 1000 - 59_000;
      long inWindow = admitted.stream().filter(t -> t >= from && t <= at).count();
      assertThat(inWindow).isLessThanOrEqualTo(perMinute);
    }
  }
}
