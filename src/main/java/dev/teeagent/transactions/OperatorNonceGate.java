package dev.teeagent.transactions;

import java.math.BigInteger;
import java.util.function.Supplier;

/**
 * The operator's shared {@code operator_nonce} (one counter for variable batches and transaction
 * authorizations, owned by the variables capability): runs {@code action} as the use of {@code
 * nonce}, refusing with {@code stale_nonce} unless it is the next one, and consuming it only when
 * the action returns normally.
 */
@FunctionalInterface
public interface OperatorNonceGate {
  <T> T withOperatorNonce(BigInteger nonce, Supplier<T> action);
}
