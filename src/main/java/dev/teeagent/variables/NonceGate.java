package dev.teeagent.variables;

import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import java.math.BigInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One strictly increasing nonce, the one rule for every signed authorization the agent accepts (the
 * operator's, shared by variable batches and transaction authorizations, and each API signer's): a
 * nonce is used by running the authorized action with it; the check, the action and the increment
 * happen under one lock; a nonce other than the next is refused with {@code stale_nonce}; an action
 * that throws consumes nothing. So one signature authorizes at most one action, and an old one
 * never runs again — across a restart too, since a sealed identity keeps {@link #next} and puts it
 * back with {@link #restore}.
 */
public final class NonceGate {
  /** The counter of the operator's authorizations, as refusals name it. */
  public static final String OPERATOR = "operator nonce";

  private final ReentrantLock lock = new ReentrantLock();
  private final String counter;
  private BigInteger next = BigInteger.ZERO;

  /** {@code counter} names the nonce in a refusal: "nonce 2 is not the next {counter} (3)". */
  public NonceGate(String counter) {
    this.counter = counter;
  }

  /** The nonce the next authorization must carry. */
  public BigInteger next() {
    lock.lock();
    try {
      return next;
    } finally {
      lock.unlock();
    }
  }

  /** Runs {@code action} as the use of {@code nonce} (see the class comment). */
  public <T> T use(BigInteger nonce, Supplier<T> action) {
    lock.lock();
    try {
      requireNext(counter, nonce, next);
      T result = action.get();
      next = next.add(BigInteger.ONE);
      return result;
    } finally {
      lock.unlock();
    }
  }

  /** Puts back a kept counter (at boot, before serving). */
  public void restore(BigInteger kept) {
    if (kept.signum() < 0) {
      throw new IllegalArgumentException("a nonce is never negative");
    }
    lock.lock();
    try {
      next = kept;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The refusal of a nonce that is not {@code expected}: also for the early check that spares an
   * RPC round trip to a request that would be refused anyway.
   */
  public static void requireNext(String counter, BigInteger nonce, BigInteger expected) {
    if (nonce == null || !nonce.equals(expected)) {
      throw new AgentException(
          ErrorCode.STALE_NONCE,
          "nonce " + nonce + " is not the next " + counter + " (" + expected + ")");
    }
  }
}
