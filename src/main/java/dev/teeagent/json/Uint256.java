package dev.teeagent.json;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import java.math.BigInteger;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An unsigned 256-bit integer from a request (nonces, deadlines, amounts). Accepted as DESIGN §3
 * says: a decimal string, a 0x-hex string, or a JSON integer up to 2^53 (beyond that a JSON number
 * may already have been rounded by the client). Written back as a decimal string.
 */
public record Uint256(BigInteger value) {
  public static final BigInteger MAX = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);
  private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,77}");
  private static final Pattern HEX = Pattern.compile("0x[0-9a-fA-F]{1,64}");

  public Uint256 {
    if (value == null || value.signum() < 0 || value.compareTo(MAX) > 0) {
      throw new AgentException(ErrorCode.INVALID_FIELD, "an unsigned 256-bit integer is expected");
    }
  }

  public static Uint256 of(long value) {
    return new Uint256(BigInteger.valueOf(value));
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static Uint256 fromJson(JsonNode node) {
    if (node.isIntegralNumber()) {
      BigInteger number = node.bigIntegerValue();
      if (number.signum() < 0 || number.compareTo(SafeNumbers.MAX_SAFE) > 0) {
        throw new AgentException(
            ErrorCode.INVALID_FIELD,
            "integers beyond 2^53 must be sent as decimal or 0x-hex strings");
      }
      return new Uint256(number);
    }
    if (node.isTextual()) {
      return parse(node.textValue());
    }
    throw new AgentException(
        ErrorCode.INVALID_FIELD,
        "an integer (decimal string, 0x-hex string or number) is expected");
  }

  /**
   * A canonical decimal string (no sign, no leading zeros) of at most 256 bits, or empty: the form
   * amounts take in operator variables.
   */
  public static Optional<BigInteger> parseDecimal(String text) {
    if (text == null || !DECIMAL.matcher(text).matches()) {
      return Optional.empty();
    }
    BigInteger value = new BigInteger(text);
    return value.compareTo(MAX) <= 0 ? Optional.of(value) : Optional.empty();
  }

  /** Parses a decimal or 0x-hex string. */
  public static Uint256 parse(String text) {
    Optional<BigInteger> decimal = parseDecimal(text);
    if (decimal.isPresent()) {
      return new Uint256(decimal.get());
    }
    if (text != null && HEX.matcher(text).matches()) {
      return new Uint256(new BigInteger(text.substring(2), 16));
    }
    throw new AgentException(
        ErrorCode.INVALID_FIELD, "an integer is a decimal or 0x-hex string of at most 256 bits");
  }

  @JsonValue
  public String decimal() {
    return value.toString();
  }

  @Override
  public String toString() {
    return decimal();
  }
}
