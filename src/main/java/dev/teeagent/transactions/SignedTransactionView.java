package dev.teeagent.transactions;

import java.math.BigInteger;

/**
 * The answer to a sign request: the raw signed transaction and its hash (the seed's two members),
 * the agent's address, every final field used, who authorized it, the budget spent within the
 * window after it, its audit entry, and — when broadcast — the node's answer. Amounts are decimal
 * strings. {@code chain_id_source} says where the chain came from ({@code request}, {@code
 * tx_allowed_chain_ids} or {@code rpc}); {@code fill_nonce} is the nonce an operator's fill filled
 * (else null).
 */
public record SignedTransactionView(
    String signedTransaction,
    String transactionHash,
    String from,
    Fields transaction,
    boolean broadcast,
    NodeAnswer nodeAnswer,
    String mode,
    String authorizedBy,
    BigInteger spentWei,
    long auditIndex,
    String chainIdSource,
    BigInteger fillNonce) {

  /** Every field of the signed transaction; gas_price only for type 0, max fees only for type 2. */
  public record Fields(
      int type,
      BigInteger chainId,
      BigInteger nonce,
      String to,
      BigInteger value,
      String data,
      BigInteger gas,
      BigInteger gasPrice,
      BigInteger maxFeePerGas,
      BigInteger maxPriorityFeePerGas,
      BigInteger maxFeeWei) {
    static Fields of(UnsignedTransaction tx) {
      return new Fields(
          tx.type(),
          BigInteger.valueOf(tx.chainId()),
          tx.nonce(),
          tx.to().checksummed(),
          tx.value(),
          tx.data(),
          tx.gas(),
          tx.gasPrice(),
          tx.maxFeePerGas(),
          tx.maxPriorityFeePerGas(),
          tx.maxFeeWei());
    }
  }

  /** What the node answered to {@code eth_sendRawTransaction}: the transaction hash it reports. */
  public record NodeAnswer(String transactionHash) {}
}
