package dev.teeagent.transactions;

import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import dev.teeagent.json.Uint256;
import java.math.BigInteger;

/**
 * The body of {@code POST /sign-transaction}: the transaction, the RPC to use, the chain id the
 * client expects (checked against the RPC's {@code eth_chainId}), whether to broadcast (default
 * true) and, unless the policy is open, an {@link Authorization}.
 */
public record SignTransactionRequest(
    TransactionFields transaction,
    String rpcUrl,
    Uint256 chainId,
    Boolean broadcast,
    Authorization authorization) {
  /** EIP-2294's bound, so that the EIP-155 v (35 + 2 × chainId) fits 64 bits. */
  static final BigInteger MAX_CHAIN_ID = new BigInteger("9223372036854775771");

  public SignTransactionRequest {
    if (transaction == null) {
      throw new AgentException(ErrorCode.MISSING_FIELD, "transaction is required");
    }
    if (rpcUrl == null) {
      throw new AgentException(ErrorCode.MISSING_FIELD, "rpc_url is required");
    }
    RpcUrl.parse(rpcUrl);
    if (chainId == null) {
      throw new AgentException(ErrorCode.MISSING_FIELD, "chain_id is required");
    }
    if (chainId.value().signum() == 0 || chainId.value().compareTo(MAX_CHAIN_ID) > 0) {
      throw new AgentException(
          ErrorCode.INVALID_FIELD, "chain_id must be from 1 to " + MAX_CHAIN_ID + " (EIP-2294)");
    }
    if (broadcast == null) {
      broadcast = Boolean.TRUE;
    }
  }

  public RpcUrl rpc() {
    return RpcUrl.parse(rpcUrl);
  }

  public long chain() {
    return chainId.value().longValueExact();
  }
}
