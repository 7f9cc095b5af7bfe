package dev.teeagent.transactions;

import dev.teeagent.crypto.Address;
import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import dev.teeagent.json.Uint256;
import java.math.BigInteger;
import java.util.Optional;

/**
 * Completes a request's transaction with what the client left out, from the RPC: the type (2 when
 * the latest block has a base fee, else 0), fees ({@code eth_gasPrice} for type 0; for type 2 the
 * priority fee from {@code eth_maxPriorityFeePerGas} and a max fee of 2 × base fee + priority fee,
 * the usual head-room for six full blocks of base-fee growth) and gas ({@code eth_estimateGas}).
 * Whatever the RPC suggests is bounded afterwards by the policy's fee limits and the
 * authorization's {@code max_fee_wei}, since the RPC is not trusted.
 */
final class FeeFiller {
  private final Address agent;

  FeeFiller(Address agent) {
    this.agent = agent;
  }

  UnsignedTransaction fill(SignTransactionRequest request, ChainRpc rpc) {
    TransactionFields tx = request.transaction();
    Optional<BigInteger> baseFee = Optional.empty();
    int type;
    if (tx.requestedType().isPresent()) {
      type = tx.requestedType().get();
    } else {
      baseFee = rpc.latestBaseFee();
      type = baseFee.isPresent() ? UnsignedTransaction.EIP1559 : UnsignedTransaction.LEGACY;
    }
    BigInteger gasPrice = null;
    BigInteger maxFee = null;
    BigInteger priorityFee = null;
    if (type == UnsignedTransaction.LEGACY) {
      gasPrice = given(tx.gasPrice()).orElseGet(rpc::gasPrice);
    } else {
      Optional<BigInteger> givenMax = given(tx.maxFeePerGas());
      priorityFee =
          given(tx.maxPriorityFeePerGas())
              .orElseGet(
                  () -> {
                    BigInteger suggested = rpc.maxPriorityFeePerGas();
                    return givenMax.map(suggested::min).orElse(suggested);
                  });
      if (givenMax.isPresent()) {
        maxFee = givenMax.get();
      } else {
        BigInteger base =
            (baseFee.isPresent() ? baseFee : rpc.latestBaseFee())
                .orElseThrow(
                    () ->
                        new AgentException(
                            ErrorCode.INVALID_FIELD,
                            "the chain reports no base fee, so it takes no type 2 transaction"
                                + " (use type 0)"));
        maxFee = base.shiftLeft(1).add(priorityFee);
      }
    }
    BigInteger value = tx.value().value();
    BigInteger gas =
        given(tx.gas()).orElseGet(() -> rpc.estimateGas(agent, tx.toAddress(), value, tx.data()));
    if (gas.compareTo(TransactionFields.MAX_GAS) > 0 || gas.signum() <= 0) {
      throw new AgentException(
          ErrorCode.RPC_BAD_RESPONSE, "the RPC's gas estimate " + gas + " is out of range");
    }
    return new UnsignedTransaction(
        type,
        request.chain(),
        null,
        tx.toAddress(),
        value,
        tx.data(),
        gas,
        gasPrice,
        maxFee,
        priorityFee);
  }

  private static Optional<BigInteger> given(Uint256 field) {
    return Optional.ofNullable(field).map(Uint256::value);
  }
}
