package dev.teeagent.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import dev.teeagent.testing.MutableClock;
import dev.teeagent.testing.RandomCases;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PromptRateLimitTest {
  private static MutableClock clock() {
    return new MutableClock(Instant.ofEpochMilli(1_753_887_000_000L));
  }

  @Test
  void admitsTheLimitThenRefusesWithRetryAfterUntilTheOldestLeavesTheWindow() {
    MutableClock clock = clock();
    PromptRateLimit limit = new PromptRateLimit(clock);
    limit.admit(3);
    clock.advance(Duration.ofMillis(10_000));
    limit.admit(3);
    limit.admit(3);
    AgentException refused = catchThrowableOfType(AgentException.class, () -> limit.admit(3));
    assertThat(refused.code()).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(refused.details()).containsEntry(AgentException.RETRY_AFTER_SECONDS, 50L);

    clock.advance(Duration.ofMillis(49_000));
    assertThatThrownBy(() -> limit.admit(3)).isInstanceOf(AgentException.class);
    clock.advance(Duration.ofMillis(1_000));
    limit.admit(3); // the first admission has left the 60 s window
    assertThatThrownBy(() -> limit.admit(3)).isInstanceOf(AgentException.class);
  }

  @Test
  void aLoweredLimitWaitsForEnoughOldAdmissionsToExpire() {
    MutableClock clock = clock();
    PromptRateLimit limit = new PromptRateLimit(clock);
    for (int i = 0; i < 4; i++) {
      limit.admit(10);
      clock.advance(Duration.ofMillis(5_000));
    }
    // 4 in the window (at 0, 5, 10, 15 s; now 20 s): for one more under a limit of 2, the three
    // oldest must leave; the third leaves at 70 s.
    AgentException refused = catchThrowableOfType(AgentException.class, () -> limit.admit(2));
    assertThat(refused.details()).containsEntry(AgentException.RETRY_AFTER_SECONDS, 50L);
  }

  @Test
  void neverAdmitsMoreThanTheLimitInAnySixtySeconds() {
    RandomCases.forEach(
        0x9a7e_11L,
        50,
        (random, index) ->
            neverAdmitsMoreThan(
                RandomCases.between(random, 1, 20), RandomCases.between(random, 0, 3_000)));
  }

  private static void neverAdmitsMoreThan(int perMinute, int stepMillis) {
    MutableClock clock = clock();
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
      clock.advance(Duration.ofMillis(stepMillis));
    }
    for (long at : admitted) {
      // Counted per whole second: a window is the 60 seconds ending with `at`'s second.
      long from = Math.floorDiv(at, 1000) * 1000 - 59_000;
      long inWindow = admitted.stream().filter(t -> t >= from && t <= at).count();
      assertThat(inWindow).isLessThanOrEqualTo(perMinute);
    }
  }
}
