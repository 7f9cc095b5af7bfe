package dev.teeagent.transactions;

import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's own next nonce on each chain. Concurrent requests get distinct nonces from memory;
 * the RPC is asked only at a chain's first use and to settle nonces whose broadcast failed.
 *
 * <p>The RPC is never trusted to move the counter forward: the key was born at this boot (or, with
 * a sealed identity, its counters were restored with it: {@link #restore}), so no transaction of it
 * can exist that the agent did not sign, and a count above what the agent has handed out is a lie
 * (a hostile RPC could use it to obtain transactions with future nonces, to be broadcast whenever
 * it likes). At first use nothing has been handed out, so the counter starts at the RPC's pending
 * count only when that is 0, and at 0 otherwise.
 *
 * <p>After a restore from a sealed snapshot ({@link #restore}) each chain's count is checked once,
 * at its first use: more transactions of the agent on the chain than the restored state handed out
 * reveal a rollback (an older snapshot). It is recorded ({@link #rollbacks}), logged, and the
 * counter moves to the chain's count (those nonces are taken). Only then is an RPC's count allowed
 * to move the counter forward; a false count from the operator-chosen RPC costs a gap (which the
 * operator can fill), never a nonce signed twice.
 *
 * <p>A nonce whose broadcast failed is <em>unsettled</em>: the node may or may not hold the
 * transaction. When no request of that chain is in flight, the next request asks the RPC's pending
 * count and releases every unsettled nonce at or above it, to be reused before a new one; those
 * below it are on the chain. A transaction signed with {@code broadcast: false} keeps its nonce
 * (only the operator may ask for one). Every RPC that settles is one the operator chose: open and
 * API-signer requests must name an RPC listed in {@code tx_allowed_rpc_urls}.
 *
 * <p>The operator may <em>fill</em> a nonce already handed out ({@link #reserveFill}): a new
 * transaction with the same nonce, to fill a gap the chain waits on or replace one stuck in a
 * mempool.
 */
public final class NonceTracker {
  private static final Logger LOG = LoggerFactory.getLogger(NonceTracker.class);

  private final Map<Long, Chain> chains = new ConcurrentHashMap<>();
  private final List<Rollback> rollbacks = new CopyOnWriteArrayList<>();
  private volatile boolean restored;

  /**
   * Proof that the state was rolled back: at the first use of a chain after a restore, the chain
   * counted more transactions of the agent than the restored state had handed out nonces.
   */
  public record Rollback(long chainId, BigInteger restoredNext, BigInteger chainCount) {}

  /**
   * What a sealed snapshot keeps of one chain: the next new nonce, those released for reuse and
   * those whose broadcast failed unsettled. A nonce leased at the moment of the image is in none of
   * the sets, so a restore counts it as handed out: never signed twice (a gap at worst, which the
   * operator can fill).
   */
  public record ChainImage(BigInteger next, Set<BigInteger> released, Set<BigInteger> unsettled) {
    public ChainImage {
      released = Set.copyOf(released);
      unsettled = Set.copyOf(unsettled);
    }
  }

  /** chain id → its counters, for every chain used (what a sealed snapshot keeps). */
  public Map<Long, ChainImage> image() {
    Map<Long, ChainImage> image = new TreeMap<>();
    chains.forEach(
        (id, chain) -> {
          synchronized (chain) {
            if (chain.started) {
              image.put(id, new ChainImage(chain.next, chain.released, chain.unsettled));
            }
          }
        });
    return image;
  }

  /**
   * Restores every chain's counters (at boot, before serving): a restored chain is started, so the
   * RPC is never asked to set its counter again.
   */
  public void restore(Map<Long, ChainImage> restored) {
    chains.clear();
    this.restored = true;
    restored.forEach(
        (id, image) -> {
          Chain chain = new Chain();
          chain.started = true;
          chain.checkAgainstChain = true;
          chain.next = image.next();
          chain.released.addAll(image.released());
          chain.unsettled.addAll(image.unsettled());
          chains.put(id, chain);
        });
  }

  /** A nonce handed out for one transaction; report its outcome exactly once. */
  public record Lease(long chainId, BigInteger nonce, Was was) {}

  /** What the leased nonce was before: where it goes back if the signature never leaves. */
  public enum Was {
    /** new, or released for reuse: free again */
    FREE,
    /** a failed broadcast not yet settled: unsettled again */
    UNSETTLED,
    /** handed out and believed sent: stays handed out */
    HANDED_OUT
  }

  /**
   * Starts the chain's counter at first use and settles failed broadcasts when the chain is idle.
   * Calls {@code pendingCount} (an RPC round trip) only then, outside any lock.
   */
  public void prepare(long chainId, Supplier<BigInteger> pendingCount) {
    Chain chain = chains.computeIfAbsent(chainId, id -> new Chain());
    long epoch;
    synchronized (chain) {
      if (chain.started && !chain.needsSettling() && !chain.checkAgainstChain) {
        return;
      }
      epoch = chain.reservations;
    }
    BigInteger count = pendingCount.get();
    synchronized (chain) {
      if (!chain.started) {
        chain.start(chainId, count, restored).ifPresent(this::rolledBack);
      } else if (chain.checkAgainstChain) {
        chain.check(chainId, count).ifPresent(this::rolledBack);
      }
      if (chain.needsSettling() && chain.reservations == epoch) {
        chain.settle(chainId, count);
      }
    }
  }

  private void rolledBack(Rollback rollback) {
    rollbacks.add(rollback);
    LOG.warn(
        "ROLLBACK DETECTED on chain {}: the chain counts {} transactions of the agent, the restored"
            + " state had handed out nonces up to {}; the host handed back an older sealed snapshot."
            + " Continuing at nonce {}",
        rollback.chainId(),
        rollback.chainCount(),
        rollback.restoredNext(),
        rollback.chainCount());
  }

  /** Every rollback detected since the start (shown in {@code /config}). */
  public List<Rollback> rollbacks() {
    return List.copyOf(rollbacks);
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
      return new Lease(chainId, nonce, Was.FREE);
    }
  }

  /**
   * The operator's fill of {@code nonce}, one the agent has handed out on the chain: leased again,
   * whatever it was (released, unsettled or sent), so no other request takes it meanwhile.
   */
  public Lease reserveFill(long chainId, BigInteger nonce) {
    Chain chain = chains.get(chainId);
    if (chain == null) {
      throw new IllegalStateException("prepare the chain first");
    }
    synchronized (chain) {
      if (nonce.compareTo(chain.next) >= 0) {
        throw new AgentException(
            ErrorCode.INVALID_FIELD,
            "fill_nonce "
                + nonce
                + " has not been handed out on chain "
                + chainId
                + " (the next new nonce is "
                + chain.next
                + "): only a nonce already used can be filled or replaced; leave fill_nonce out");
      }
      Was was =
          chain.released.remove(nonce)
              ? Was.FREE
              : chain.unsettled.remove(nonce) ? Was.UNSETTLED : Was.HANDED_OUT;
      chain.reservations++;
      chain.inFlight++;
      return new Lease(chainId, nonce, was);
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
      switch (lease.was()) {
        case FREE -> chain.released.add(lease.nonce());
        case UNSETTLED -> chain.unsettled.add(lease.nonce());
        case HANDED_OUT -> {
          // it was in use before the fill: it still is
        }
      }
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
    boolean checkAgainstChain;
    BigInteger next = BigInteger.ZERO;
    final TreeSet<BigInteger> released = new TreeSet<>();
    final TreeSet<BigInteger> unsettled = new TreeSet<>();
    int inFlight;
    long reservations;

    boolean needsSettling() {
      return !unsettled.isEmpty() && inFlight == 0;
    }

    /**
     * A key born at this boot starts at 0 whatever the RPC says; a restored key (whose state knew
     * no transaction on this chain) that has some on it was rolled back: it continues at the count.
     */
    Optional<Rollback> start(long chainId, BigInteger count, boolean restored) {
      started = true;
      if (count.signum() > 0 && restored) {
        next = count;
        return Optional.of(new Rollback(chainId, BigInteger.ZERO, count));
      }
      if (count.signum() > 0) {
        LOG.warn(
            "chain {}: the RPC reports {} transactions from a key born at this boot; starting at 0",
            chainId,
            count);
      }
      return Optional.empty();
    }

    /**
     * The first use after a restore: a pending count above every nonce the restored state handed
     * out means transactions the state does not know were signed, so it is older than the latest;
     * those nonces are used, and the chain continues after them.
     */
    Optional<Rollback> check(long chainId, BigInteger count) {
      checkAgainstChain = false;
      if (count.compareTo(next) <= 0) {
        return Optional.empty();
      }
      Rollback rollback = new Rollback(chainId, next, count);
      next = count;
      released.clear();
      unsettled.clear();
      return Optional.of(rollback);
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
