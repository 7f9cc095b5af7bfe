package dev.teeagent.variables;

import dev.teeagent.crypto.Address;
import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Formats of the well-known variables (DESIGN §5), checked at {@code set} time so a policy that
 * cannot be read never gets stored (or frozen). Lists are comma-separated with no empty entries and
 * no spaces; amounts are decimal; URLs are https, or http to a literal loopback address only (for
 * local chains and tests). Other variables may hold any text.
 */
public final class WellKnownValues {
  private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,77}");
  private static final Pattern CALL = Pattern.compile("0x[0-9a-fA-F]{40}:0x[0-9a-fA-F]{8}");
  private static final Pattern LOOPBACK_V4 = Pattern.compile("127(\\.[0-9]{1,3}){3}");
  private static final BigInteger MAX_UINT256 = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);

  private record Format(boolean list, String description, Predicate<String> valid) {}

  private static final Map<String, Format> FORMATS =
      Map.ofEntries(
          Map.entry(
              "llm_base_url",
              one("an https URL (http only to 127.0.0.1 or [::1])", WellKnownValues::isAllowedUrl)),
          Map.entry(
              "prompt_max_per_minute",
              one("an integer from 1 to 1000000", WellKnownValues::isRate)),
          Map.entry(
              "tx_open", one("\"true\" or \"false\"", v -> v.equals("true") || v.equals("false"))),
          Map.entry("tx_max_value_wei", one("a decimal amount of wei", WellKnownValues::isUint256)),
          Map.entry("tx_max_fee_wei", one("a decimal amount of wei", WellKnownValues::isUint256)),
          Map.entry("tx_budget_wei", one("a decimal amount of wei", WellKnownValues::isUint256)),
          Map.entry("tx_allowed_to", list("addresses", WellKnownValues::isAddress)),
          Map.entry("tx_api_signers", list("addresses", WellKnownValues::isAddress)),
          Map.entry(
              "tx_allowed_calls",
              list(
                  "address:0xselector entries (4-byte selector)",
                  v -> CALL.matcher(v).matches() && isAddress(v.substring(0, 42)))),
          Map.entry(
              "tx_allowed_chain_ids",
              list("decimal chain ids", v -> isUint256(v) && !v.equals("0"))),
          Map.entry(
              "tx_allowed_rpc_urls",
              list("https URLs (http only to 127.0.0.1 or [::1])", WellKnownValues::isAllowedUrl)));

  private WellKnownValues() {}

  private static Format one(String description, Predicate<String> valid) {
    return new Format(false, description, valid);
  }

  private static Format list(String description, Predicate<String> valid) {
    return new Format(true, description, valid);
  }

  /** The comma-separated list variables (policy lists). */
  public static boolean isList(String name) {
    Format format = FORMATS.get(name);
    return format != null && format.list();
  }

  /** Refuses a value of a well-known variable that is not in its format. */
  static void check(String where, String name, String value) {
    Format format = FORMATS.get(name);
    if (format == null) {
      return;
    }
    if (!format.list()) {
      if (!format.valid().test(value)) {
        throw new AgentException(
            ErrorCode.INVALID_VALUE, where + ": the value must be " + format.description());
      }
      return;
    }
    List<String> entries = List.of(value.split(",", -1));
    for (int i = 0; i < entries.size(); i++) {
      String entry = entries.get(i);
      if (entry.isEmpty()) {
        throw new AgentException(
            ErrorCode.EMPTY_LIST_ENTRY,
            where + ": entry " + (i + 1) + " of the comma-separated list is empty");
      }
      if (!format.valid().test(entry)) {
        throw new AgentException(
            ErrorCode.INVALID_VALUE,
            where
                + ": entry "
                + (i + 1)
                + " is not valid; the list holds "
                + format.description()
                + ", comma-separated without spaces");
      }
    }
  }

  /**
   * https with a host, or http to a literal loopback address; no user info, no fragment. Shared
   * with the capabilities that call these URLs, so that the same rule holds at use time.
   */
  public static boolean isAllowedUrl(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      return false;
    }
    if (!uri.isAbsolute()
        || uri.getHost() == null
        || uri.getRawUserInfo() != null
        || uri.getRawFragment() != null) {
      return false;
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    return scheme.equals("https") || (scheme.equals("http") && isLiteralLoopback(uri.getHost()));
  }

  /** 127.x.y.z or [::1] written as literals: a name would be resolved by the host's DNS. */
  private static boolean isLiteralLoopback(String host) {
    if (host.equals("[::1]")) {
      return true;
    }
    if (!LOOPBACK_V4.matcher(host).matches()) {
      return false;
    }
    for (String octet : host.split("\\.")) {
      if (Integer.parseInt(octet) > 255) {
        return false;
      }
    }
    return true;
  }

  private static boolean isUint256(String text) {
    return DECIMAL.matcher(text).matches() && new BigInteger(text).compareTo(MAX_UINT256) <= 0;
  }

  private static boolean isRate(String text) {
    return text.matches("[1-9][0-9]{0,6}") && Integer.parseInt(text) <= 1_000_000;
  }

  private static boolean isAddress(String text) {
    try {
      Address.parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
