package dev.teeagent.transactions;

import dev.teeagent.crypto.Address;
import dev.teeagent.crypto.Eip712;
import java.math.BigInteger;
import org.web3j.utils.Numeric;

/**
 * What an operator or API signer signs to authorize one transaction (DESIGN §5), as EIP-712 typed
 * data under the agent's domain: {@code SignRequest(address to,uint256 value,bytes data,uint256
 * chainId,uint256 maxFeeWei,bool broadcast,uint256 nonce,uint256 deadline)}. {@code maxFeeWei} caps
 * gas limit × max fee per gas, since the agent fills gas and fees after the signature was made.
 * {@code data} is 0x-hex.
 *
 * <p>The operator's fill of a nonce already used (to fill a gap or replace a stuck transaction)
 * signs the same members plus the agent's nonce to fill, as {@code FillRequest(address to,uint256
 * value,bytes data,uint256 chainId,uint256 maxFeeWei,bool broadcast,uint256 fillNonce,uint256
 * nonce,uint256 deadline)}: another type, so that no ordinary authorization can be used as a fill.
 */
public record SignRequest(
    Address to,
    BigInteger value,
    String data,
    BigInteger chainId,
    BigInteger maxFeeWei,
    boolean broadcast,
    BigInteger nonce,
    BigInteger deadline) {
  public static final String TYPE =
      "SignRequest(address to,uint256 value,bytes data,uint256 chainId,uint256 maxFeeWei,"
          + "bool broadcast,uint256 nonce,uint256 deadline)";
  public static final String FILL_TYPE =
      "FillRequest(address to,uint256 value,bytes data,uint256 chainId,uint256 maxFeeWei,"
          + "bool broadcast,uint256 fillNonce,uint256 nonce,uint256 deadline)";
  private static final byte[] TYPE_HASH = Eip712.typeHash(TYPE);
  private static final byte[] FILL_TYPE_HASH = Eip712.typeHash(FILL_TYPE);

  public SignRequest {
    if (to == null
        || value == null
        || data == null
        || chainId == null
        || maxFeeWei == null
        || nonce == null
        || deadline == null) {
      throw new IllegalArgumentException("every member of a SignRequest is set");
    }
  }

  public byte[] structHash() {
    return transactionFields(TYPE_HASH).uint256(nonce).uint256(deadline).hash();
  }

  public byte[] digest(Eip712.Domain domain) {
    return Eip712.digest(domain, structHash());
  }

  /** The digest of the {@code FillRequest} for the agent's nonce {@code fillNonce}. */
  public byte[] fillDigest(Eip712.Domain domain, BigInteger fillNonce) {
    return Eip712.digest(
        domain,
        transactionFields(FILL_TYPE_HASH)
            .uint256(fillNonce)
            .uint256(nonce)
            .uint256(deadline)
            .hash());
  }

  private Eip712.Struct transactionFields(byte[] typeHash) {
    return Eip712.Struct.ofTypeHash(typeHash)
        .address(to)
        .uint256(value)
        .bytes(Numeric.hexStringToByteArray(data))
        .uint256(chainId)
        .uint256(maxFeeWei)
        .bool(broadcast);
  }
}
