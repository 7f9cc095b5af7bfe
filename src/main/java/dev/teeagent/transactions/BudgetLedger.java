package dev.teeagent.transactions;

import dev.teeagent.variables.WellKnownVariables;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * What {@code tx_budget_wei} limits: value + max fee of every transaction signed within the last
 * {@code tx_budget_window}, each spending kept with its time so the window rolls ("since boot"
 * means nothing once state survives restarts). Spendings older than {@link #MAX_WINDOW} (the
 * longest window the operator may set) are dropped, which bounds what a sealed snapshot carries.
 *
 * <p>After a restore from a sealed snapshot the budget counts as fully spent for one window from
 * the restore: an older snapshot lacks what was spent after it, and counting it as spent is the one
 * rule that never lets a rolled-back host spend a window's budget twice.
 */
public final class BudgetLedger {
  /** The window when {@code tx_budget_window} is not set (its registry default). */
  public static final Duration DEFAULT_WINDOW =
      WellKnownVariables.TX_BUDGET_WINDOW.read(name -> Optional.empty()).orElseThrow();

  /** The longest {@code tx_budget_window} (spendings older than this are forgotten). */
  public static final Duration MAX_WINDOW = WellKnownVariables.MAX_BUDGET_WINDOW;

  /** One signed transaction's value + max fee, at unix milliseconds {@code at}. */
  public record Spending(long at, BigInteger wei) {
    public Spending {
      if (wei.signum() < 0) {
        throw new IllegalArgumentException("a negative spending");
      }
    }
  }

  private final Clock clock;
  private final Deque<Spending> spendings = new ArrayDeque<>();
  private Instant restoredAt;

  public BudgetLedger(Clock clock) {
    this.clock = clock;
  }

  /** value + max fee of everything signed in the window ending now. */
  public synchronized BigInteger spent(Duration window) {
    long since = clock.millis() - window.toMillis();
    BigInteger sum = BigInteger.ZERO;
    for (Spending spending : spendings) {
      if (spending.at() > since) {
        sum = sum.add(spending.wei());
      }
    }
    return sum;
  }

  /** While a restore's window lasts: when it ends (the budget counts as fully spent until then). */
  public synchronized Optional<Instant> countedSpentUntil(Duration window) {
    if (restoredAt == null) {
      return Optional.empty();
    }
    Instant end = restoredAt.plus(window);
    return clock.instant().isBefore(end) ? Optional.of(end) : Optional.empty();
  }

  /**
   * Records {@code wei} now, unless it would take the window's spending past {@code budget}: then
   * returns false and records nothing. The check and the record are one step.
   */
  public synchronized boolean spend(Optional<BigInteger> budget, Duration window, BigInteger wei) {
    if (budget.isPresent()
        && (countedSpentUntil(window).isPresent()
            || spent(window).add(wei).compareTo(budget.get()) > 0)) {
      return false;
    }
    long now = clock.millis();
    spendings.addLast(new Spending(now, wei));
    long forgotten = now - MAX_WINDOW.toMillis();
    while (!spendings.isEmpty() && spendings.peekFirst().at() <= forgotten) {
      spendings.removeFirst();
    }
    return true;
  }

  /** Every spending kept, oldest first (what a sealed snapshot keeps). */
  public synchronized List<Spending> image() {
    return List.copyOf(spendings);
  }

  /**
   * Replaces the ledger with restored spendings and starts the restore's rule at {@code restoredAt}
   * (at boot, before serving).
   */
  public synchronized void restore(List<Spending> restored, Instant restoredAt) {
    spendings.clear();
    restored.stream().sorted(Comparator.comparingLong(Spending::at)).forEach(spendings::addLast);
    this.restoredAt = restoredAt;
  }

  /** When the ledger was restored at this boot; empty for a fresh one. */
  public synchronized Optional<Instant> restoredAt() {
    return Optional.ofNullable(restoredAt);
  }
}
