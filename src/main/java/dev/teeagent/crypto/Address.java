package dev.teeagent.crypto;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** A 20-byte Ethereum address, always held in its EIP-55 checksummed form. */
public record Address(String checksummed) {
  private static final Pattern HEX40 = Pattern.compile("0x[0-9a-fA-F]{40}");

  public Address {
    if (checksummed == null || !HEX40.matcher(checksummed).matches()) {
      throw new IllegalArgumentException("not a 0x-prefixed 20-byte hex address");
    }
    if (!checksummed.equals(eip55(checksummed))) {
      throw new IllegalArgumentException("address is not in EIP-55 form");
    }
  }

  /**
   * Parses user input: all-lowercase and all-uppercase hex are accepted as unchecksummed input;
   * mixed case must carry a valid EIP-55 checksum, since a mistyped mixed-case address is exactly
   * what the checksum exists to catch.
   */
  public static Address parse(String text) {
    if (text == null || !HEX40.matcher(text).matches()) {
      throw new IllegalArgumentException("not a 0x-prefixed 20-byte hex address");
    }
    String hex = text.substring(2);
    boolean singleCase =
        hex.equals(hex.toLowerCase(Locale.ROOT)) || hex.equals(hex.toUpperCase(Locale.ROOT));
    String checksummed = eip55(text);
    if (!singleCase && !checksummed.equals(text)) {
      throw new IllegalArgumentException("mixed-case address with a wrong EIP-55 checksum");
    }
    return new Address(checksummed);
  }

  public static Address fromBytes(byte[] twentyBytes) {
    if (twentyBytes.length != 20) {
      throw new IllegalArgumentException("an address is 20 bytes");
    }
    return new Address(eip55("0x" + HexFormat.of().formatHex(twentyBytes)));
  }

  public byte[] toBytes() {
    return org.web3j.utils.Numeric.hexStringToByteArray(checksummed);
  }

  public boolean sameAs(String other) {
    return other != null && checksummed.equalsIgnoreCase(other);
  }

  /**
   * EIP-55: a hex digit is upper case when the matching nibble of keccak256(lower-case hex) is 8 or
   * more. Written here rather than taken from web3j's {@code Keys}, whose class initialization
   * registers the whole BouncyCastle JCA provider (a noticeable part of the agent's start).
   */
  static String eip55(String address) {
    String hex = address.substring(2).toLowerCase(Locale.ROOT);
    byte[] hash = Keccak.hash(hex.getBytes(StandardCharsets.US_ASCII));
    StringBuilder out = new StringBuilder("0x");
    for (int i = 0; i < hex.length(); i++) {
      int nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xf;
      char digit = hex.charAt(i);
      out.append(nibble >= 8 ? Character.toUpperCase(digit) : digit);
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return checksummed;
  }
}
