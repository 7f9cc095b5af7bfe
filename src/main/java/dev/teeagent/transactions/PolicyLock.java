package dev.teeagent.transactions;

import java.util.function.Supplier;

/**
 * The lock under which operator batches apply (owned by the variables capability): a transaction
 * decides on the policy, signs and records itself while holding it, so a batch that closes the
 * policy is never followed in the audit log by a transaction it should have stopped.
 */
@FunctionalInterface
public interface PolicyLock {
  <T> T whileHeld(Supplier<T> action);
}
