package dev.teeagent.transactions;

import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import dev.teeagent.json.Uint256;
import java.math.BigInteger;

/**
 * The body of {@code POST /sign-transaction}: the transaction, the RPC to use, the chain id the
 * client expects (checked against the RPC's {@code eth_chainId}; it may be left out when the policy
 * pins the chain, see {@link TransactionPolicy#pinChain}), whether to broadcast (default true),
 * unless the policy is open an {@link Authorization}, and — the operator only — {@code fill_nonce},
 * the agent's nonce that this transaction fills or replaces.
 */
public record SignTransactionRequest(
    TransactionFields transaction,
    String rpcUrl,
    Uint256 chainId,
    Boolean broadcast,
    Authorization authorization,
    Uint256 fillNonce) {
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
    if (chainId != null
        && (chainId.value().signum() == 0 || chainId.value().compareTo(MAX_CHAIN_ID) > 0)) {
      throw new AgentException(
          ErrorCode.INVALID_FIELD, "chain_id must be from 1 to " + MAX_CHAIN_ID + " (EIP-2294)");
    }
    if (broadcast == null) {
      broadcast = Boolean.TRUE;
    }
  }

  /**
   * The same request for chain {@code id} (the one the policy pins, when chain_id was left out).
   */
  SignTransactionRequest withChainId(BigInteger id) {
    return new SignTransactionRequest(
        transaction, rpcUrl, new Uint256(id), broadcast, authorization, fillNonce);
  }

  public RpcUrl rpc() {
    return RpcUrl.parse(rpcUrl);
  }

  public long chain() {
    if (chainId == null) {
      throw new IllegalStateException("the chain is pinned before it is used");
    }
    return chainId.value().longValueExact();
  }
}
