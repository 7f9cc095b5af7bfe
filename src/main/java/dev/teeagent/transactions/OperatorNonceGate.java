package dev.teeagent.transactions;

import java.math.BigInteger;
import java.util.function.Supplier;

/**
 * How a transaction reaches the operator's shared {@code operator_nonce} (one {@link
 * dev.teeagent.variables.NonceGate} for variable batches and transaction authorizations, owned by
 * the variables capability, which also holds its state lock while the nonce is used).
 */
@FunctionalInterface
public interface OperatorNonceGate {
  <T> T withOperatorNonce(BigInteger nonce, Supplier<T> action);
}
