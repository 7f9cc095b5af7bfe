package dev.teeagent.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BodyBudgetTest {
  @Test
  void reservesUpToTheBudgetAndGivesBackOnceOnClose() {
    BodyBudget budget = new BodyBudget(10 * 1024);
    BodyBudget.Reservation first = budget.tryReserve(6 * 1024);
    assertThat(first).isNotNull();
    assertThat(budget.tryReserve(5 * 1024)).isNull();
    BodyBudget.Reservation second = budget.tryReserve(4 * 1024);
    assertThat(second).isNotNull();
    assertThat(budget.availableKib()).isZero();

    first.close();
    first.close();
    assertThat(budget.availableKib()).isEqualTo(6);
    second.close();
    assertThat(budget.availableKib()).isEqualTo(10);
  }

  @Test
  void aPartialKibibyteCountsAsAWholeOne() {
    BodyBudget budget = new BodyBudget(2 * 1024);
    assertThat(budget.tryReserve(1025)).isNotNull();
    assertThat(budget.tryReserve(1)).isNull();
  }

  @Test
  void theParseAllowanceIsBoundedByTheTokenLimit() {
    assertThat(HttpLimits.parseAllowance(10)).isEqualTo(1_000);
    assertThat(HttpLimits.parseAllowance(HttpLimits.MAX_BODY_BYTES))
        .isEqualTo(HttpLimits.MAX_JSON_TOKENS * 100L);
    // Twelve of the largest bodies fit the budget at once; the heap holds them with room to spare.
    long largest = HttpLimits.MAX_BODY_BYTES + HttpLimits.parseAllowance(HttpLimits.MAX_BODY_BYTES);
    assertThat(HttpLimits.BODY_BUDGET_BYTES / largest).isEqualTo(12);
  }
}
