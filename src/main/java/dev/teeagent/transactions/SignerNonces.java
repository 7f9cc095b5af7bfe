package dev.teeagent.transactions;

import dev.teeagent.crypto.Address;
import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import java.math.BigInteger;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The next authorization nonce of each API signer ({@code tx_api_signers}), from 0 at boot, shown
 * in {@code /config} as {@code signer_nonces}. A nonce is used by running the authorized action
 * with it: the check, the action and the increment happen under one lock, and a failed action
 * consumes nothing, so one signed authorization signs at most one transaction.
 */
public final class SignerNonces {
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<Address, BigInteger> next = new HashMap<>();

  public BigInteger next(Address signer) {
    lock.lock();
    try {
      return next.getOrDefault(signer, BigInteger.ZERO);
    } finally {
      lock.unlock();
    }
  }

  /** Runs {@code action} as the use of {@code signer}'s nonce {@code nonce} (see class doc). */
  public <T> T withNonce(Address signer, BigInteger nonce, Supplier<T> action) {
    lock.lock();
    try {
      BigInteger expected = next.getOrDefault(signer, BigInteger.ZERO);
      if (!expected.equals(nonce)) {
        throw new AgentException(
            ErrorCode.STALE_NONCE,
            "authorization nonce "
                + nonce
                + " is not "
                + signer
                + "'s next nonce ("
                + expected
                + ")");
      }
      T result = action.get();
      next.put(signer, expected.add(BigInteger.ONE));
      return result;
    } finally {
      lock.unlock();
    }
  }

  /** Every signer's next nonce (what a sealed snapshot keeps). */
  public Map<Address, BigInteger> image() {
    lock.lock();
    try {
      return Map.copyOf(next);
    } finally {
      lock.unlock();
    }
  }

  /** Replaces every signer's next nonce with a restored one (at boot, before serving). */
  public void restore(Map<Address, BigInteger> restored) {
    lock.lock();
    try {
      next.clear();
      next.putAll(restored);
    } finally {
      lock.unlock();
    }
  }

  /** address (EIP-55) → next nonce, for the given signers, sorted by address. */
  public Map<String, BigInteger> view(Collection<Address> signers) {
    Map<String, BigInteger> view = new TreeMap<>();
    lock.lock();
    try {
      for (Address signer : signers) {
        view.put(signer.checksummed(), next.getOrDefault(signer, BigInteger.ZERO));
      }
    } finally {
      lock.unlock();
    }
    return view;
  }
}
