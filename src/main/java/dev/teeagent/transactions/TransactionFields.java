package dev.teeagent.transactions;

import dev.teeagent.crypto.Address;
import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import dev.teeagent.json.Uint256;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code transaction} member of a sign request, as the client sent it: {@code to} is required,
 * {@code value} defaults to 0 and {@code data} to "0x"; gas and fees are optional (the agent fills
 * them from the RPC); {@code type} is 0 (legacy, EIP-155) or 2 (EIP-1559), and when absent follows
 * the fee fields given, else the chain. The agent's own nonce and address are never taken from the
 * client (a {@code nonce} or {@code from} member is an unknown field).
 */
public record TransactionFields(
    String to,
    Uint256 value,
    String data,
    Uint256 gas,
    Uint256 gasPrice,
    Uint256 maxFeePerGas,
    Uint256 maxPriorityFeePerGas,
    Integer type) {
  /** Larger calldata than a node relays by default (128 KiB) would only fail at broadcast. */
  static final int MAX_DATA_BYTES = 128 * 1024;

  static final BigInteger MIN_GAS = BigInteger.valueOf(21_000);
  static final BigInteger MAX_GAS = BigInteger.TWO.pow(63).subtract(BigInteger.ONE);
  private static final Pattern HEX_BYTES = Pattern.compile("0x(?:[0-9a-fA-F]{2})*");

  public TransactionFields {
    if (to == null) {
      throw invalid(ErrorCode.MISSING_FIELD, "transaction.to is required");
    }
    try {
      to = Address.parse(to).checksummed();
    } catch (IllegalArgumentException e) {
      throw invalid(ErrorCode.INVALID_FIELD, "transaction.to: " + e.getMessage());
    }
    if (value == null) {
      value = Uint256.of(0);
    }
    if (data == null) {
      data = "0x";
    }
    if (!HEX_BYTES.matcher(data).matches()) {
      throw invalid(ErrorCode.INVALID_FIELD, "transaction.data must be 0x followed by hex bytes");
    }
    if ((data.length() - 2) / 2 > MAX_DATA_BYTES) {
      throw invalid(ErrorCode.INVALID_FIELD, "transaction.data is larger than 128 KiB");
    }
    data = data.toLowerCase(Locale.ROOT);
    if (gas != null && (gas.value().compareTo(MIN_GAS) < 0 || gas.value().compareTo(MAX_GAS) > 0)) {
      throw invalid(ErrorCode.INVALID_FIELD, "transaction.gas must be from 21000 to 2^63-1");
    }
    if (type != null && type != UnsignedTransaction.LEGACY && type != UnsignedTransaction.EIP1559) {
      throw invalid(
          ErrorCode.INVALID_FIELD,
          "transaction.type must be 0 (legacy, EIP-155) or 2 (EIP-1559); no other type is signed");
    }
    boolean dynamicFees = maxFeePerGas != null || maxPriorityFeePerGas != null;
    if (gasPrice != null && dynamicFees) {
      throw invalid(
          ErrorCode.INVALID_FIELD,
          "transaction.gas_price (type 0) and max_fee_per_gas/max_priority_fee_per_gas (type 2)"
              + " do not go together");
    }
    if (type != null && type == UnsignedTransaction.LEGACY && dynamicFees) {
      throw invalid(
          ErrorCode.INVALID_FIELD, "a type 0 transaction takes gas_price, not max fees per gas");
    }
    if (type != null && type == UnsignedTransaction.EIP1559 && gasPrice != null) {
      throw invalid(
          ErrorCode.INVALID_FIELD,
          "a type 2 transaction takes max_fee_per_gas and max_priority_fee_per_gas, not gas_price");
    }
    if (maxFeePerGas != null
        && maxPriorityFeePerGas != null
        && maxPriorityFeePerGas.value().compareTo(maxFeePerGas.value()) > 0) {
      throw invalid(
          ErrorCode.INVALID_FIELD,
          "transaction.max_priority_fee_per_gas must not exceed max_fee_per_gas");
    }
  }

  public Address toAddress() {
    return new Address(to);
  }

  public boolean hasCall() {
    return data.length() > 2;
  }

  /** The type the fields ask for, or empty when only the chain can tell (no fee given). */
  Optional<Integer> requestedType() {
    if (type != null) {
      return Optional.of(type);
    }
    if (gasPrice != null) {
      return Optional.of(UnsignedTransaction.LEGACY);
    }
    if (maxFeePerGas != null || maxPriorityFeePerGas != null) {
      return Optional.of(UnsignedTransaction.EIP1559);
    }
    return Optional.empty();
  }

  private static AgentException invalid(ErrorCode code, String message) {
    return new AgentException(code, message);
  }
}
