package dev.teeagent.crypto;

import java.util.Locale;
import java.util.regex.Pattern;
import org.web3j.crypto.Keys;

/** A 20-byte Ethereum address, always held in its EIP-55 checksummed form. */
public record Address(String checksummed) {
  private static final Pattern HEX40 = Pattern.compile("0x[0-9a-fA-F]{40}");

  public Address {
    if (checksummed == null || !HEX40.matcher(checksummed).matches()) {
      throw new IllegalArgumentException("not a 0x-prefixed 20-byte hex address");
    }
    if (!checksummed.equals(Keys.toChecksumAddress(checksummed))) {
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
    String checksummed = Keys.toChecksumAddress(text.toLowerCase(Locale.ROOT));
    if (!singleCase && !checksummed.equals(text)) {
      throw new IllegalArgumentException("mixed-case address with a wrong EIP-55 checksum");
    }
    return new Address(checksummed);
  }

  public static Address fromBytes(byte[] twentyBytes) {
    if (twentyBytes.length != 20) {
      throw new IllegalArgumentException("an address is 20 bytes");
    }
    return new Address(Keys.toChecksumAddress(org.web3j.utils.Numeric.toHexString(twentyBytes)));
  }

  public byte[] toBytes() {
    return org.web3j.utils.Numeric.hexStringToByteArray(checksummed);
  }

  public boolean sameAs(String other) {
    return other != null && checksummed.equalsIgnoreCase(other);
  }

  @Override
  public String toString() {
    return checksummed;
  }
}
