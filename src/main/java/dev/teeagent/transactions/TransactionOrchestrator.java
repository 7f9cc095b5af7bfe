package dev.teeagent.transactions;

import dev.teeagent.crypto.Address;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import java.math.BigInteger;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Orchestrates one signing, from request to broadcast (the policy is {@link TransactionPolicy}, the
 * budget {@link BudgetLedger}): the chain (given, or pinned by the policy), policy admission (no
 * RPC call for a refused request), the RPC's chain id, the latest block (a fee below its base fee
 * or gas above its limit is refused: never mined, it would stall the agent's nonces), fees and gas,
 * the policy's fee and budget limits, then — under the authorization's nonce and the lock operator
 * batches take, so that no batch applies in between — the whole policy once more as it is now (the
 * RPC calls take seconds, during which the operator may have tightened it), the budget, the agent's
 * nonce, the signature and the audit entry, and finally the broadcast. A refusal or an RPC failure
 * before signing changes nothing; once signed, the transaction is in the (public) audit log, so its
 * budget stays spent even if the broadcast fails, and only its nonce may be reused (see {@link
 * NonceTracker}).
 */
public final class TransactionOrchestrator {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionOrchestrator.class);

  private final SigningKey key;
  private final TransactionPolicy policy;
  private final FeeFiller fees;
  private final NonceTracker nonces;
  private final RpcConnector rpcs;
  private final OperatorNonceGate operatorGate;
  private final SignerNonces signerNonces;
  private final TransactionAudit audit;
  private final PolicyLock policyLock;

  public TransactionOrchestrator(
      SigningKey key,
      TransactionPolicy policy,
      NonceTracker nonces,
      RpcConnector rpcs,
      OperatorNonceGate operatorGate,
      SignerNonces signerNonces,
      TransactionAudit audit,
      PolicyLock policyLock) {
    this.key = key;
    this.policy = policy;
    this.fees = new FeeFiller(key.address());
    this.nonces = nonces;
    this.rpcs = rpcs;
    this.operatorGate = operatorGate;
    this.signerNonces = signerNonces;
    this.audit = audit;
    this.policyLock = policyLock;
  }

  private record Signed(SignedTransaction transaction, NonceTracker.Lease lease, long auditIndex) {}

  public SignedTransactionView sign(SignTransactionRequest asked) {
    ChainRpc rpc = rpcs.connect(asked.rpc());
    Supplier<BigInteger> rpcChainId = once(rpc::chainId);
    TransactionPolicy.Pinned pinned = policy.pinChain(asked, rpcChainId);
    SignTransactionRequest request = pinned.request();
    TransactionPolicy.Admission admission = policy.admit(request);
    BigInteger reported = rpcChainId.get();
    if (!reported.equals(request.chainId().value())) {
      throw new AgentException(
          ErrorCode.CHAIN_ID_MISMATCH,
          "the RPC reports chain " + reported + ", not chain_id " + request.chainId());
    }
    UnsignedTransaction unsigned = fees.fill(request, rpc, rpc.latestBlock());
    policy.check(admission, unsigned);
    Address agent = key.address();
    if (request.broadcast()) {
      BigInteger balance = rpc.pendingBalance(agent);
      if (balance.compareTo(unsigned.maxCostWei()) < 0) {
        throw new AgentException(
            ErrorCode.INSUFFICIENT_FUNDS,
            "the agent holds "
                + balance
                + " wei on chain "
                + request.chainId()
                + ", less than value + max fee "
                + unsigned.maxCostWei());
      }
    }
    long chainId = request.chain();
    BigInteger fill = request.fillNonce() == null ? null : request.fillNonce().value();
    if (fill != null) {
      requireNotMined(rpc, fill, chainId);
    }
    nonces.prepare(chainId, () -> rpc.pendingTransactionCount(agent));
    // The policy lock is taken first and held until every nonce is consumed, so that what a
    // sealed identity stores when the lock's holder commits has the transaction and its nonces.
    Signed signed =
        policyLock.whileHeld(
            () -> authorized(admission, () -> signAndRecord(admission, unsigned, chainId, fill)));
    SignedTransaction tx = signed.transaction();
    SignedTransactionView.NodeAnswer answer = null;
    if (request.broadcast()) {
      answer = broadcast(rpc, signed);
    } else {
      nonces.used(signed.lease());
    }
    LOG.info(
        "signed {} on chain {} nonce {} ({}{}{})",
        tx.hash(),
        chainId,
        tx.fields().nonce(),
        admission.mode().wireName(),
        fill == null ? "" : ", a fill",
        request.broadcast() ? ", broadcast" : ", not broadcast");
    return new SignedTransactionView(
        tx.raw(),
        tx.hash(),
        agent.checksummed(),
        SignedTransactionView.Fields.of(tx.fields()),
        request.broadcast(),
        answer,
        admission.mode().wireName(),
        admission.signer().map(Address::checksummed).orElse(null),
        policy.spent(),
        signed.auditIndex(),
        pinned.chainIdSource(),
        fill);
  }

  /** value + max fee signed within {@code tx_budget_window} (what {@code tx_budget_wei} limits). */
  public BigInteger spentWei() {
    return policy.spent();
  }

  /** address → next nonce of each address now in {@code tx_api_signers}. */
  public Map<String, BigInteger> signerNonces() {
    return signerNonces.view(policy.apiSigners());
  }

  private Signed authorized(TransactionPolicy.Admission admission, Supplier<Signed> action) {
    BigInteger nonce =
        admission.request().authorization() == null
            ? null
            : admission.request().authorization().nonce().value();
    return switch (admission.mode()) {
      case OPERATOR -> operatorGate.withOperatorNonce(nonce, action);
      case API_SIGNER -> signerNonces.withNonce(admission.signer().orElseThrow(), nonce, action);
      case OPEN -> action.get();
    };
  }

  private Signed signAndRecord(
      TransactionPolicy.Admission admitted,
      UnsignedTransaction unsigned,
      long chainId,
      BigInteger fill) {
    // Decided again on the policy of this moment: one admitted before the RPC calls may be stale.
    TransactionPolicy.Admission admission = policy.admit(admitted.request());
    policy.check(admission, unsigned);
    NonceTracker.Lease lease =
        fill == null ? nonces.reserve(chainId) : nonces.reserveFill(chainId, fill);
    try {
      SignedTransaction tx = unsigned.withNonce(lease.nonce()).sign(key);
      policy.spend(admission, unsigned);
      long index =
          audit.append(
              new TransactionAudit.Entry(
                  tx.raw(),
                  tx.hash(),
                  admission.mode().wireName(),
                  admission.signer().map(Address::checksummed).orElse(null),
                  fill == null ? null : fill.toString()));
      return new Signed(tx, lease, index);
    } catch (RuntimeException e) {
      // The signature never left the agent: the nonce is free again.
      nonces.unused(lease);
      throw e;
    }
  }

  /** A fill of a nonce the chain has already mined could only fail: refused before signing. */
  private void requireNotMined(ChainRpc rpc, BigInteger fill, long chainId) {
    BigInteger mined = rpc.minedTransactionCount(key.address());
    if (fill.compareTo(mined) < 0) {
      throw new AgentException(
          ErrorCode.STALE_NONCE,
          "fill_nonce "
              + fill
              + " is already mined on chain "
              + chainId
              + " (the agent has "
              + mined
              + " mined transactions there): there is nothing to fill");
    }
  }

  private static <T> Supplier<T> once(Supplier<T> call) {
    return new Supplier<>() {
      private T value;

      @Override
      public T get() {
        if (value == null) {
          value = call.get();
        }
        return value;
      }
    };
  }

  private SignedTransactionView.NodeAnswer broadcast(ChainRpc rpc, Signed signed) {
    try {
      String hash = rpc.sendRawTransaction(signed.transaction().raw());
      nonces.used(signed.lease());
      return new SignedTransactionView.NodeAnswer(hash);
    } catch (RuntimeException failure) {
      nonces.unsettled(signed.lease());
      if (!(failure instanceof AgentException e)) {
        throw failure;
      }
      throw new AgentException(
          e.code(),
          e.clientMessage()
              + "; the transaction "
              + signed.transaction().hash()
              + " was signed and recorded in the audit log (entry "
              + signed.auditIndex()
              + "), its value and fee stay counted in the budget, and its nonce is reused if"
              + " it never reaches the chain");
    }
  }
}
