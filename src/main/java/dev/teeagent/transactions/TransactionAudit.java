package dev.teeagent.transactions;

/**
 * Where every signed transaction is recorded before it leaves the agent: the audit log of the
 * variables capability, as a {@code transaction} entry. Returns the entry's index.
 */
@FunctionalInterface
public interface TransactionAudit {
  long append(Entry entry);

  /**
   * DESIGN §5's transaction payload: raw signed tx, hash, mode, authorizing address (or null), and
   * for an operator's fill the nonce it fills (else null).
   */
  record Entry(
      String signedTransaction,
      String transactionHash,
      String mode,
      String authorizedBy,
      String fillNonce) {}
}
