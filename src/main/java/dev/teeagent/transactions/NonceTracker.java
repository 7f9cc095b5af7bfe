package dev.teeagent.transactions;

import java.math.BigInteger;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's own next nonce on each chain. Concurrent requests get distinct nonces from memory;
 * the RPC is asked only at a chain's first use and to settle nonces whose broadcast failed.
 *
 * <p>The RPC is never trusted to move the counter forward: the key was born at this boot, so no
 * transaction of it can exist that the agent did not sign, and a count above what the agent has
 * handed out is a lie (a hostile RPC could use it to obtain transactions with future nonces, to be
 * broadcast whenever it likes). At first use nothing has been handed out, so the counter starts at
 * the RPC's pending count only when that is 0, and at 0 otherwise.
 *
 * <p>A nonce whose broadcast failed is <em>unsettled</em>: the node may or may not hold the
 * transaction. When no request of that chain is in flight, the next request asks the RPC's pending
 * count and releases every unsettled nonce at or above it, to be reused before a new one; those
 * below it are on the chain. A transaction signed with {@code broadcast: false} keeps its nonce.
 */
public final class NonceTracker {
  private static final Logger LOG = LoggerFactory.getLogger(NonceTracker.class);

  private final Map<Long, Chain> chains = new ConcurrentHashMap<>();

  /** A nonce handed out for one transaction; report its outcome exactly once. */
  public record Lease(long chainId, BigInteger nonce) {}

  /**
   * Starts the chain's counter at first use and settles failed broadcasts when the chain is idle.
   * Calls {@code pendingCount} (an RPC round trip) only then, outside any lock.
   */
  public void prepare(long chainId, Supplier<BigInteger> pendingCount) {
    Chain chain = chains.computeIfAbsent(chainId, id -> new Chain());
    long epoch;
    synchronized (chain) {
      if (chain.started && !chain.needsSettling()) {
        return;
      }
      epoch = chain.reservations;
    }
    BigInteger count = pendingCount.get();
    synchronized (chain) {
      if (!chain.started) {
        chain.start(chainId, count);
      } else if (chain.needsSettling() && chain.reservations == epoch) {
        chain.settle(chainId, count);
      }
    }
  }

  /** The next nonce: a released one first (lowest), else a new one. */
  public Lease reserve(long chainId) {
    Chain chain = chains.get(chainId);
    if (chain == null) {
      throw new IllegalStateException("prepare the chain first");
    }
    synchronized (chain) {
      if (!chain.started) {
        throw new IllegalStateException("prepare the chain first");
      }
      chain.reservations++;
      chain.inFlight++;
      BigInteger nonce = chain.released.pollFirst();
      if (nonce == null) {
        nonce = chain.next;
        chain.next = chain.next.add(BigInteger.ONE);
      }
      return new Lease(chainId, nonce);
    }
  }

  /** The transaction was accepted by a node, or handed to the client unsent: the nonce is used. */
  public void used(Lease lease) {
    Chain chain = chains.get(lease.chainId());
    synchronized (chain) {
      chain.inFlight--;
    }
  }

  /** The transaction never left the agent: the nonce is free again. */
  public void unused(Lease lease) {
    Chain chain = chains.get(lease.chainId());
    synchronized (chain) {
      chain.inFlight--;
      chain.released.add(lease.nonce());
    }
  }

  /** The broadcast failed: the node may or may not hold the transaction. */
  public void unsettled(Lease lease) {
    Chain chain = chains.get(lease.chainId());
    synchronized (chain) {
      chain.inFlight--;
      chain.unsettled.add(lease.nonce());
    }
  }

  private static final class Chain {
    boolean started;
    BigInteger next = BigInteger.ZERO;
    final TreeSet<BigInteger> released = new TreeSet<>();
    final TreeSet<BigInteger> unsettled = new TreeSet<>();
    int inFlight;
    long reservations;

    boolean needsSettling() {
      return !unsettled.isEmpty() && inFlight == 0;
    }

    void start(long chainId, BigInteger count) {
      started = true;
      if (count.signum() > 0) {
        LOG.warn(
            "chain {}: the RPC reports {} transactions from a key born at this boot; starting at 0",
            chainId,
            count);
      }
    }

    void settle(long chainId, BigInteger count) {
      for (BigInteger nonce : unsettled) {
        if (nonce.compareTo(count) >= 0) {
          released.add(nonce);
        }
      }
      unsettled.clear();
      released.removeIf(nonce -> nonce.compareTo(count) < 0);
      LOG.info("chain {}: settled failed broadcasts at pending count {}", chainId, count);
    }
  }
}
