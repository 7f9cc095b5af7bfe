package dev.teeagent.transactions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeagent.error.AgentException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class NonceTrackerTest {
  private static final long CHAIN = 31337;
  private final NonceTracker tracker = new NonceTracker();

  /** A fake RPC pending count that records how often it is asked. */
  private static final class PendingCount implements Supplier<BigInteger> {
    final AtomicInteger asked = new AtomicInteger();
    volatile long count;

    PendingCount(long count) {
      this.count = count;
    }

    @Override
    public BigInteger get() {
      asked.incrementAndGet();
      return BigInteger.valueOf(count);
    }
  }

  private NonceTracker.Lease next(PendingCount rpc) {
    tracker.prepare(CHAIN, rpc);
    return tracker.reserve(CHAIN);
  }

  @Test
  void startsAtZeroAndAsksTheRpcOnlyAtFirstUse() {
    PendingCount rpc = new PendingCount(0);
    for (long expected = 0; expected < 5; expected++) {
      NonceTracker.Lease lease = next(rpc);
      assertThat(lease.nonce()).isEqualTo(expected);
      tracker.used(lease);
    }
    assertThat(rpc.asked).hasValue(1);
  }

  @Test
  void neverJumpsToAFutureNonceTheRpcSuggests() {
    PendingCount lying = new PendingCount(1_000);
    assertThat(next(lying).nonce()).isZero();
  }

  @Test
  void keepsChainsApart() {
    PendingCount rpc = new PendingCount(0);
    tracker.used(next(rpc));
    tracker.prepare(1, rpc);
    assertThat(tracker.reserve(1).nonce()).isZero();
    assertThat(tracker.reserve(CHAIN).nonce()).isEqualTo(1);
  }

  @Test
  void givesConcurrentRequestsDistinctConsecutiveNonces() throws Exception {
    PendingCount rpc = new PendingCount(0);
    List<Callable<Long>> calls = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      calls.add(
          () -> {
            NonceTracker.Lease lease = next(rpc);
            tracker.used(lease);
            return lease.nonce().longValueExact();
          });
    }
    List<Long> nonces = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
      for (Future<Long> future : pool.invokeAll(calls)) {
        nonces.add(future.get());
      }
    }
    assertThat(nonces.stream().sorted().toList())
        .containsExactlyElementsOf(LongStream.range(0, 200).boxed().toList());
  }

  @Test
  void reusesANonceWhoseTransactionNeverLeftTheAgentFirst() {
    PendingCount rpc = new PendingCount(0);
    NonceTracker.Lease zero = next(rpc);
    NonceTracker.Lease one = next(rpc);
    tracker.unused(zero);
    tracker.used(one);
    assertThat(next(rpc).nonce()).isZero();
    assertThat(next(rpc).nonce()).isEqualTo(2);
  }

  @Test
  void settlesAFailedBroadcastAgainstTheChainOnceNothingIsInFlight() {
    PendingCount rpc = new PendingCount(0);
    NonceTracker.Lease zero = next(rpc);
    NonceTracker.Lease one = next(rpc);
    tracker.unsettled(zero);
    // One still in flight: the chain's count says nothing reliable yet.
    NonceTracker.Lease two = next(rpc);
    assertThat(two.nonce()).isEqualTo(2);
    assertThat(rpc.asked).hasValue(1);
    tracker.used(one);
    tracker.used(two);

    // Idle now: the chain holds no transaction 0, so 0 is reused before 3.
    assertThat(next(rpc).nonce()).isZero();
    assertThat(rpc.asked).hasValue(2);
  }

  @Test
  void dropsAFailedBroadcastThatReachedTheChainAnyway() {
    PendingCount rpc = new PendingCount(0);
    NonceTracker.Lease zero = next(rpc);
    tracker.unsettled(zero);
    rpc.count = 1;
    assertThat(next(rpc).nonce()).isEqualTo(1);
  }

  @Test
  void keepsTheNonceOfATransactionSignedWithoutBroadcast() {
    PendingCount rpc = new PendingCount(0);
    tracker.used(next(rpc));
    NonceTracker.Lease unsent = next(rpc);
    tracker.used(unsent);
    assertThat(next(rpc).nonce()).isEqualTo(2);
    assertThat(rpc.asked).hasValue(1);
  }

  @Test
  void fillsOnlyANonceAlreadyHandedOutAndLeavesItAsItWasWhenTheFillNeverLeaves() {
    PendingCount rpc = new PendingCount(0);
    tracker.used(next(rpc));
    NonceTracker.Lease released = next(rpc);
    tracker.unused(released);
    assertThatThrownBy(() -> tracker.reserveFill(CHAIN, BigInteger.TWO))
        .isInstanceOf(AgentException.class)
        .hasMessageContaining("has not been handed out");

    // A fill of the sent nonce 0 that is never signed: 0 stays in use, 1 stays free.
    NonceTracker.Lease fillSent = tracker.reserveFill(CHAIN, BigInteger.ZERO);
    assertThat(fillSent.was()).isEqualTo(NonceTracker.Was.HANDED_OUT);
    tracker.unused(fillSent);
    // A fill of the free nonce 1 takes it from the free ones while it is in flight.
    NonceTracker.Lease fillFree = tracker.reserveFill(CHAIN, BigInteger.ONE);
    assertThat(fillFree.was()).isEqualTo(NonceTracker.Was.FREE);
    assertThat(next(rpc).nonce()).isEqualTo(2);
    tracker.unused(fillFree);
    assertThat(next(rpc).nonce()).isEqualTo(1);
  }

  @Test
  void afterARestoreAChainCountAboveTheRestoredNonceRevealsARollbackAndIsTaken() {
    tracker.restore(
        Map.of(
            CHAIN,
            new NonceTracker.ChainImage(BigInteger.valueOf(3), Set.of(), Set.of(BigInteger.TWO))));
    PendingCount chain = new PendingCount(5);

    assertThat(next(chain).nonce()).isEqualTo(5);
    assertThat(tracker.rollbacks())
        .containsExactly(
            new NonceTracker.Rollback(CHAIN, BigInteger.valueOf(3), BigInteger.valueOf(5)));
    assertThat(next(chain).nonce()).isEqualTo(6);
    assertThat(chain.asked).hasValue(1);
  }

  @Test
  void afterARestoreAChainThatAgreesIsNoRollbackAndAChainTheStateNeverUsedStartsAtItsCount() {
    tracker.restore(
        Map.of(CHAIN, new NonceTracker.ChainImage(BigInteger.valueOf(3), Set.of(), Set.of())));

    assertThat(next(new PendingCount(3)).nonce()).isEqualTo(3);
    assertThat(tracker.rollbacks()).isEmpty();
    tracker.prepare(1, new PendingCount(2));
    assertThat(tracker.reserve(1).nonce()).isEqualTo(2);
    assertThat(tracker.rollbacks())
        .containsExactly(new NonceTracker.Rollback(1, BigInteger.ZERO, BigInteger.valueOf(2)));
  }

  @Test
  void withoutARestoreTheChainsCountNeverMovesTheCounter() {
    tracker.prepare(1, new PendingCount(2));
    assertThat(tracker.reserve(1).nonce()).isZero();
    assertThat(tracker.rollbacks()).isEmpty();
  }
}
