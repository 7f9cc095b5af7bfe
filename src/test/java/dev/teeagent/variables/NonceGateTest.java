package dev.teeagent.variables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NonceGateTest {
  private final NonceGate gate = new NonceGate(NonceGate.OPERATOR);

  @Test
  void eachNonceRunsOneActionInOrderAndNeverAgain() {
    assertThat(gate.use(BigInteger.ZERO, () -> "first")).isEqualTo("first");
    assertThat(gate.use(BigInteger.ONE, () -> "second")).isEqualTo("second");
    assertThat(gate.next()).isEqualTo(2);
    for (BigInteger stale : List.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.valueOf(3))) {
      assertThatThrownBy(() -> gate.use(stale, () -> "replayed or skipped"))
          .isInstanceOfSatisfying(
              AgentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STALE_NONCE))
          .hasMessage("nonce " + stale + " is not the next operator nonce (2)");
    }
    assertThatThrownBy(() -> gate.use(null, () -> "no nonce")).isInstanceOf(AgentException.class);
    assertThat(gate.next()).isEqualTo(2);
  }

  @Test
  void anActionThatFailsConsumesNothing() {
    AtomicInteger runs = new AtomicInteger();
    assertThatThrownBy(
            () ->
                gate.use(
                    BigInteger.ZERO,
                    () -> {
                      runs.incrementAndGet();
                      throw new IllegalStateException("refused by the policy");
                    }))
        .hasMessage("refused by the policy");
    assertThat(gate.next()).isZero();
    assertThat(gate.use(BigInteger.ZERO, runs::incrementAndGet)).isEqualTo(2);
  }

  @Test
  void aRestoredCounterRefusesEverythingBelowIt() {
    gate.restore(BigInteger.valueOf(7));
    assertThatThrownBy(() -> gate.use(BigInteger.valueOf(6), () -> "old"))
        .hasMessage("nonce 6 is not the next operator nonce (7)");
    assertThat(gate.use(BigInteger.valueOf(7), () -> "next")).isEqualTo("next");
    assertThatThrownBy(() -> gate.restore(BigInteger.valueOf(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void racingUsesOfOneNonceRunExactlyOneAction() throws Exception {
    int racers = 16;
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    try {
      for (int round = 0; round < 50; round++) {
        BigInteger nonce = gate.next();
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        List<Future<?>> all = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
          all.add(
              pool.submit(
                  () -> {
                    start.await();
                    return gate.use(nonce, ran::incrementAndGet);
                  }));
        }
        start.countDown();
        int refused = 0;
        for (Future<?> each : all) {
          try {
            each.get();
          } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(AgentException.class);
            refused++;
          }
        }
        assertThat(ran.get()).isEqualTo(1);
        assertThat(refused).isEqualTo(racers - 1);
        assertThat(gate.next()).isEqualTo(nonce.add(BigInteger.ONE));
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
