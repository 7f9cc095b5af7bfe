package dev.teeagent.transactions;

import dev.teeagent.crypto.Address;
import dev.teeagent.crypto.EthSignature;
import dev.teeagent.crypto.Keccak;
import dev.teeagent.crypto.SigningKey;
import java.math.BigInteger;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.Sign;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

/**
 * Every field of a transaction the agent is about to sign, final: nothing is filled in after the
 * policy has seen it. Type 0 is a legacy transaction with EIP-155 replay protection (v = 35 + 2 ×
 * chainId + parity), type 2 an EIP-1559 one; no other type is ever built. Encoding is web3j's; the
 * digest is signed with the agent's {@link SigningKey} so the key never leaves it.
 */
public record UnsignedTransaction(
    int type,
    long chainId,
    BigInteger nonce,
    Address to,
    BigInteger value,
    String data,
    BigInteger gas,
    BigInteger gasPrice,
    BigInteger maxFeePerGas,
    BigInteger maxPriorityFeePerGas) {
  public static final int LEGACY = 0;
  public static final int EIP1559 = 2;

  public UnsignedTransaction {
    if (type != LEGACY && type != EIP1559) {
      throw new IllegalArgumentException("only types 0 and 2 are signed");
    }
    if (chainId <= 0 || to == null || value == null || data == null || gas == null) {
      throw new IllegalArgumentException("chain id, to, value, data and gas are required");
    }
    if (type == LEGACY && (gasPrice == null || maxFeePerGas != null)) {
      throw new IllegalArgumentException("a legacy transaction has a gas price only");
    }
    if (type == EIP1559
        && (gasPrice != null || maxFeePerGas == null || maxPriorityFeePerGas == null)) {
      throw new IllegalArgumentException("an EIP-1559 transaction has max fees only");
    }
  }

  /** The most the transaction can cost in fees: gas limit × (max fee per gas | gas price). */
  public BigInteger maxFeeWei() {
    return gas.multiply(type == LEGACY ? gasPrice : maxFeePerGas);
  }

  /** The most it can take from the balance: value + {@link #maxFeeWei()}. */
  public BigInteger maxCostWei() {
    return value.add(maxFeeWei());
  }

  public UnsignedTransaction withNonce(BigInteger newNonce) {
    return new UnsignedTransaction(
        type,
        chainId,
        newNonce,
        to,
        value,
        data,
        gas,
        gasPrice,
        maxFeePerGas,
        maxPriorityFeePerGas);
  }

  /** Signs with {@code key}: returns the raw transaction and its hash. */
  public SignedTransaction sign(SigningKey key) {
    if (nonce == null) {
      throw new IllegalStateException("the nonce is assigned before signing");
    }
    RawTransaction raw = toRaw();
    byte[] payload =
        type == LEGACY ? TransactionEncoder.encode(raw, chainId) : TransactionEncoder.encode(raw);
    EthSignature signature = key.signDigest(Keccak.hash(payload));
    Sign.SignatureData parts =
        new Sign.SignatureData(
            (byte) signature.v(),
            Numeric.toBytesPadded(signature.r(), 32),
            Numeric.toBytesPadded(signature.s(), 32));
    if (type == LEGACY) {
      parts = TransactionEncoder.createEip155SignatureData(parts, chainId);
    }
    byte[] signed = TransactionEncoder.encode(raw, parts);
    return new SignedTransaction(this, Numeric.toHexString(signed), Keccak.hashHex(signed));
  }

  private RawTransaction toRaw() {
    if (type == LEGACY) {
      return RawTransaction.createTransaction(nonce, gasPrice, gas, to.checksummed(), value, data);
    }
    return RawTransaction.createTransaction(
        chainId, nonce, gas, to.checksummed(), value, data, maxPriorityFeePerGas, maxFeePerGas);
  }
}
