package dev.teeagent.variables;

import dev.teeagent.config.DurationText;
import dev.teeagent.crypto.Address;
import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import dev.teeagent.json.Uint256;
import dev.teeagent.outbound.OutboundHttp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Formats of the well-known variables (DESIGN §5), checked at {@code set} time so a policy that
 * cannot be read never gets stored (or frozen). Lists are comma-separated with no empty entries and
 * no spaces; amounts are decimal; URLs follow {@link OutboundHttp#isAllowedUrl} (https, or http to
 * a literal loopback address only, for local chains and tests). Other variables may hold any text.
 */
public final class WellKnownValues {
  private static final Pattern CALL = Pattern.compile("0x[0-9a-fA-F]{40}:0x[0-9a-fA-F]{8}");

  private record Format(boolean list, String description, Predicate<String> valid) {}

  private static final Map<String, Format> FORMATS =
      Map.ofEntries(
          Map.entry(
              "llm_base_url",
              one("an https URL (http only to 127.0.0.1 or [::1])", OutboundHttp::isAllowedUrl)),
          Map.entry(
              "prompt_max_per_minute",
              one("an integer from 1 to 1000000", WellKnownValues::isRate)),
          Map.entry(
              "llm_allowed_models",
              list(
                  "model ids (1 to 256 printable ASCII characters, no spaces)",
                  v -> v.matches("[\\x21-\\x7e]{1,256}"))),
          Map.entry("llm_max_tokens", one("an integer from 1 to 1000000", WellKnownValues::isRate)),
          Map.entry(
              "tx_open", one("\"true\" or \"false\"", v -> v.equals("true") || v.equals("false"))),
          Map.entry("tx_max_value_wei", one("a decimal amount of wei", WellKnownValues::isUint256)),
          Map.entry("tx_max_fee_wei", one("a decimal amount of wei", WellKnownValues::isUint256)),
          Map.entry("tx_budget_wei", one("a decimal amount of wei", WellKnownValues::isUint256)),
          Map.entry(
              "tx_budget_window",
              one(
                  "a duration from 1s to 366 days ("
                      + DurationText.EXAMPLES
                      + ", or ISO-8601 such as P7D)",
                  v -> budgetWindow(v).isPresent())),
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
              list("https URLs (http only to 127.0.0.1 or [::1])", OutboundHttp::isAllowedUrl)));

  /** The longest {@code tx_budget_window}: a year and a day, so a yearly budget fits. */
  public static final Duration MAX_BUDGET_WINDOW = Duration.ofDays(366);

  private WellKnownValues() {}

  /** {@code tx_budget_window}'s value as a duration; empty when out of 1 s to 366 days. */
  public static Optional<Duration> budgetWindow(String value) {
    return DurationText.parse(value)
        .filter(
            d -> d.compareTo(Duration.ofSeconds(1)) >= 0 && d.compareTo(MAX_BUDGET_WINDOW) <= 0);
  }

  private static Format one(String description, Predicate<String> valid) {
    return new Format(false, description, valid);
  }

  private static Format list(String description, Predicate<String> valid) {
    return new Format(true, description, valid);
  }

  /**
   * True for the variables whose values the agent itself publishes, so that hiding one would only
   * pretend to keep it secret: every formatted variable above (the limits are quoted in refusals,
   * the lists and limits are the policy a verifier reads, {@code llm_base_url} is the {@code
   * provider} of every prompt answer) and {@code llm_model} (the {@code model} of every answer).
   */
  static boolean isPublished(String name) {
    return FORMATS.containsKey(name) || name.equals("llm_model");
  }

  /**
   * True for the variables the agent uses as credentials ({@code llm_api_key}, sent to the
   * provider): such a value is only ever set hidden, since a public one is published in {@code
   * /variables} and {@code /audit} for good.
   */
  static boolean isCredential(String name) {
    return name.equals("llm_api_key");
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

  private static boolean isUint256(String text) {
    return Uint256.parseDecimal(text).isPresent();
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
