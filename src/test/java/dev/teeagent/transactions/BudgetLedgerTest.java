package dev.teeagent.transactions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.testing.MutableClock;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code tx_budget_wei} per rolling {@code tx_budget_window}, on a clock the test moves. */
class BudgetLedgerTest {
  private static final Optional<BigInteger> BUDGET = Optional.of(BigInteger.valueOf(100));
  private static final Duration WINDOW = Duration.ofHours(1);
  private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_800_000_000L));
  private final BudgetLedger ledger = new BudgetLedger(clock);

  private boolean spend(long wei) {
    return ledger.spend(BUDGET, WINDOW, BigInteger.valueOf(wei));
  }

  @Test
  void theWindowRollsSoSpendingsOlderThanItNoLongerCount() {
    assertThat(spend(60)).isTrue();
    clock.advance(Duration.ofMinutes(30));
    assertThat(spend(40)).isTrue();
    assertThat(spend(1)).isFalse();
    assertThat(ledger.spent(WINDOW)).isEqualTo(100);

    clock.advance(Duration.ofMinutes(30));
    assertThat(ledger.spent(WINDOW)).isEqualTo(40);
    assertThat(spend(60)).isTrue();
    assertThat(spend(1)).isFalse();
    assertThat(ledger.spent(Duration.ofHours(2))).isEqualTo(160);
  }

  @Test
  void aRefusedSpendingRecordsNothingAndNoBudgetMeansNoLimit() {
    assertThat(spend(101)).isFalse();
    assertThat(ledger.image()).isEmpty();
    assertThat(ledger.spend(Optional.empty(), WINDOW, BigInteger.valueOf(1_000))).isTrue();
    assertThat(ledger.spent(WINDOW)).isEqualTo(1_000);
  }

  @Test
  void spendingsOlderThanTheLongestWindowAreForgotten() {
    spend(10);
    clock.advance(BudgetLedger.MAX_WINDOW.plusSeconds(1));
    spend(20);
    assertThat(ledger.image())
        .extracting(BudgetLedger.Spending::wei)
        .containsExactly(BigInteger.valueOf(20));
  }

  @Test
  void aRestoredLedgerKeepsItsSpendingsAndCountsTheBudgetSpentForOneWindow() {
    spend(30);
    List<BudgetLedger.Spending> kept = ledger.image();
    BudgetLedger restored = new BudgetLedger(clock);
    restored.restore(kept, clock.instant());

    assertThat(restored.spent(WINDOW)).isEqualTo(30);
    assertThat(restored.countedSpentUntil(WINDOW)).contains(clock.instant().plus(WINDOW));
    assertThat(restored.spend(BUDGET, WINDOW, BigInteger.ONE)).isFalse();
    assertThat(restored.spend(Optional.empty(), WINDOW, BigInteger.ONE)).isTrue();
    clock.advance(WINDOW);
    assertThat(restored.countedSpentUntil(WINDOW)).isEmpty();
    assertThat(restored.spend(BUDGET, WINDOW, BigInteger.valueOf(99))).isTrue();
  }
}
