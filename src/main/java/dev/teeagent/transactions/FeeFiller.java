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
 *
 * <p>A transaction that the latest block says cannot be mined is refused, given or filled: a fee
 * per gas below the base fee, or a gas limit above the block's. Signed, it would take a nonce that
 * every later transaction of the agent on that chain waits behind.
 */
final class FeeFiller {
  private final Address agent;

  FeeFiller(Address agent) {
    this.agent = agent;
  }

  UnsignedTransaction fill(SignTransactionRequest request, ChainRpc rpc, ChainRpc.Head head) {
    TransactionFields tx = request.transaction();
    Optional<BigInteger> baseFee = head.baseFee();
    int type =
        tx.requestedType()
            .orElse(baseFee.isPresent() ? UnsignedTransaction.EIP1559 : UnsignedTransaction.LEGACY);
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
            baseFee.orElseThrow(
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
    UnsignedTransaction unsigned =
        new UnsignedTransaction(
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
    requireMineable(unsigned, head);
    return unsigned;
  }

  /** Refuses what the latest block says can never be mined as it stands. */
  static void requireMineable(UnsignedTransaction tx, ChainRpc.Head head) {
    if (head.baseFee().isPresent()) {
      BigInteger base = head.baseFee().get();
      boolean legacy = tx.type() == UnsignedTransaction.LEGACY;
      BigInteger offered = legacy ? tx.gasPrice() : tx.maxFeePerGas();
      if (offered.compareTo(base) < 0) {
        throw new AgentException(
            ErrorCode.FEE_BELOW_BASE_FEE,
            (legacy ? "gas_price " : "max_fee_per_gas ")
                + offered
                + " is below the chain's base fee "
                + base
                + " (latest block): such a transaction is never mined and would hold up every"
                + " later transaction of the agent on this chain; offer at least the base fee, or"
                + " leave the fee out for the agent to fill in");
      }
    }
    if (tx.gas().compareTo(head.gasLimit()) > 0) {
      throw new AgentException(
          ErrorCode.GAS_ABOVE_BLOCK_LIMIT,
          "gas "
              + tx.gas()
              + " is above the latest block's gas limit "
              + head.gasLimit()
              + ": such a transaction is never mined");
    }
  }

  private static Optional<BigInteger> given(Uint256 field) {
    return Optional.ofNullable(field).map(Uint256::value);
  }
}
