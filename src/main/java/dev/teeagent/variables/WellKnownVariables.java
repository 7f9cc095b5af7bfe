package dev.teeagent.variables;

import static dev.teeagent.variables.WellKnownVariable.Visibility.HIDEABLE;
import static dev.teeagent.variables.WellKnownVariable.Visibility.PUBLISHED;
import static dev.teeagent.variables.WellKnownVariable.Visibility.SECRET;

import dev.teeagent.config.DurationText;
import dev.teeagent.crypto.Address;
import dev.teeagent.json.Uint256;
import dev.teeagent.outbound.OutboundHttp;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import okhttp3.HttpUrl;

/**
 * The registry of well-known variables (DESIGN §5): each one's name, visibility, rule and parser,
 * in one place. {@link VariableRules} refuses at {@code set} time a value its parser refuses (after
 * decrypting a hidden one); the prompt and the transaction policy read typed values through the
 * same parsers. Variables not listed here may hold any text.
 *
 * <p>Adding a variable: declare it here and list it in {@link #ALL} (a {@code tx_} one is then read
 * with the rest of the policy, {@link #named}), and read it where its rule is applied. The tests
 * then ask for samples of values it accepts and refuses ({@code WellKnownSamples}) and for its row
 * in the docs' table (marked {@code <!-- variables-table -->}, checked against {@link #ALL}).
 */
public final class WellKnownVariables {
  private static final String LOOPBACK_HTTP =
      "plain http only to a literal loopback address, 127.x.y.z or [::1]";
  private static final String WEI = "a decimal amount of wei";
  private static final String COUNT = "an integer from 1 to 1000000";
  private static final Pattern CALL = Pattern.compile("(0x[0-9a-fA-F]{40}):0x[0-9a-fA-F]{8}");
  private static final Pattern COUNT_TEXT = Pattern.compile("[1-9][0-9]{0,6}");

  /** The longest {@code tx_budget_window}: a year and a day, so a yearly budget fits. */
  public static final Duration MAX_BUDGET_WINDOW = Duration.ofDays(366);

  public static final WellKnownVariable<String> LLM_API_KEY =
      WellKnownVariable.one(
          "llm_api_key",
          SECRET,
          "1 or more printable ASCII characters without spaces",
          text -> when(text, t -> !t.isEmpty() && t.chars().allMatch(c -> c > 0x20 && c < 0x7f)));
  public static final WellKnownVariable<HttpUrl> LLM_BASE_URL =
      WellKnownVariable.one(
              "llm_base_url",
              PUBLISHED,
              "an https URL (" + LOOPBACK_HTTP + ") without user info, query or fragment",
              WellKnownVariables::baseUrl)
          .withDefault("https://openrouter.ai/api/v1");
  public static final WellKnownVariable<String> LLM_MODEL =
      WellKnownVariable.one("llm_model", PUBLISHED, "any text (blank means none)", Optional::of);
  public static final WellKnownVariable<Set<String>> LLM_ALLOWED_MODELS =
      WellKnownVariable.list(
          "llm_allowed_models",
          PUBLISHED,
          "model ids (1 to 256 printable ASCII characters, no spaces)",
          text -> when(text, t -> t.matches("[\\x21-\\x7e]{1,256}")));
  public static final WellKnownVariable<Integer> LLM_MAX_TOKENS =
      WellKnownVariable.one("llm_max_tokens", PUBLISHED, COUNT, WellKnownVariables::count)
          .withDefault("4096");
  public static final WellKnownVariable<String> LLM_HTTP_REFERER = header("llm_http_referer");
  public static final WellKnownVariable<String> LLM_APP_TITLE = header("llm_app_title");
  public static final WellKnownVariable<Integer> PROMPT_MAX_PER_MINUTE =
      WellKnownVariable.one("prompt_max_per_minute", PUBLISHED, COUNT, WellKnownVariables::count)
          .withDefault("60");

  public static final WellKnownVariable<Boolean> TX_OPEN =
      WellKnownVariable.one(
              "tx_open",
              PUBLISHED,
              "\"true\" or \"false\"",
              text -> when(text, t -> t.equals("true") || t.equals("false")).map("true"::equals))
          .withDefault("false");
  public static final WellKnownVariable<Set<Address>> TX_API_SIGNERS = addresses("tx_api_signers");
  public static final WellKnownVariable<BigInteger> TX_MAX_VALUE_WEI = wei("tx_max_value_wei");
  public static final WellKnownVariable<BigInteger> TX_MAX_FEE_WEI = wei("tx_max_fee_wei");
  public static final WellKnownVariable<BigInteger> TX_BUDGET_WEI = wei("tx_budget_wei");

  /**
   * The rolling window of {@code tx_budget_wei} (DESIGN §9): 1 s to {@link #MAX_BUDGET_WINDOW}, in
   * the one duration syntax of the flags.
   */
  public static final WellKnownVariable<Duration> TX_BUDGET_WINDOW =
      WellKnownVariable.one(
              "tx_budget_window",
              PUBLISHED,
              "a duration from 1s to 366 days (90s, 10m, 24h, or ISO-8601 such as P7D)",
              text ->
                  DurationText.parse(text)
                      .filter(
                          d ->
                              d.compareTo(Duration.ofSeconds(1)) >= 0
                                  && d.compareTo(MAX_BUDGET_WINDOW) <= 0))
          .withDefault("24h");

  public static final WellKnownVariable<Set<Address>> TX_ALLOWED_TO = addresses("tx_allowed_to");

  /** Entries lower-cased, as {@code address:0xselector} is matched. */
  public static final WellKnownVariable<Set<String>> TX_ALLOWED_CALLS =
      WellKnownVariable.list(
          "tx_allowed_calls",
          PUBLISHED,
          "0xaddress:0xselector entries (4-byte selector)",
          WellKnownVariables::call);

  public static final WellKnownVariable<Set<BigInteger>> TX_ALLOWED_CHAIN_IDS =
      WellKnownVariable.list(
          "tx_allowed_chain_ids",
          PUBLISHED,
          "decimal chain ids (not 0)",
          text -> Uint256.parseDecimal(text).filter(id -> id.signum() > 0));

  /**
   * Kept as sent: a request's {@code rpc_url} (at most 2048 characters) must match an entry
   * exactly.
   */
  public static final WellKnownVariable<Set<String>> TX_ALLOWED_RPC_URLS =
      WellKnownVariable.list(
          "tx_allowed_rpc_urls",
          PUBLISHED,
          "https URLs of at most 2048 characters ("
              + LOOPBACK_HTTP
              + ") without user info or fragment",
          text ->
              when(
                  text,
                  t -> t.length() <= OutboundHttp.MAX_URL_LENGTH && OutboundHttp.isAllowedUrl(t)));

  /** Every well-known variable, in the order of the docs' table. */
  public static final List<WellKnownVariable<?>> ALL =
      List.of(
          LLM_API_KEY,
          LLM_BASE_URL,
          LLM_MODEL,
          LLM_ALLOWED_MODELS,
          LLM_MAX_TOKENS,
          LLM_HTTP_REFERER,
          LLM_APP_TITLE,
          PROMPT_MAX_PER_MINUTE,
          TX_OPEN,
          TX_API_SIGNERS,
          TX_MAX_VALUE_WEI,
          TX_MAX_FEE_WEI,
          TX_BUDGET_WEI,
          TX_BUDGET_WINDOW,
          TX_ALLOWED_TO,
          TX_ALLOWED_CALLS,
          TX_ALLOWED_CHAIN_IDS,
          TX_ALLOWED_RPC_URLS);

  private static final Map<String, WellKnownVariable<?>> BY_NAME =
      ALL.stream().collect(Collectors.toUnmodifiableMap(WellKnownVariable::name, v -> v));

  private WellKnownVariables() {}

  /** The well-known variable called {@code name}, if it is one. */
  public static Optional<WellKnownVariable<?>> find(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /** The variables whose names start with {@code prefix} (e.g. the {@code tx_} policy). */
  public static List<WellKnownVariable<?>> named(String prefix) {
    return ALL.stream().filter(v -> v.name().startsWith(prefix)).toList();
  }

  private static WellKnownVariable<BigInteger> wei(String name) {
    return WellKnownVariable.one(name, PUBLISHED, WEI, Uint256::parseDecimal);
  }

  private static WellKnownVariable<Set<Address>> addresses(String name) {
    return WellKnownVariable.list(
        name,
        PUBLISHED,
        "addresses (0x + 40 hex digits; mixed case must be the EIP-55 checksum)",
        WellKnownVariables::address);
  }

  /** OpenRouter's attribution headers: any header-safe text; empty means none is sent. */
  private static WellKnownVariable<String> header(String name) {
    return WellKnownVariable.one(
        name,
        HIDEABLE,
        "at most 512 printable ASCII characters, spaces included (empty means none)",
        text ->
            when(text, t -> t.length() <= 512 && t.chars().allMatch(c -> c >= 0x20 && c < 0x7f)));
  }

  private static Optional<String> when(String text, Predicate<String> valid) {
    return Optional.of(text).filter(valid);
  }

  /** The rule of every outbound URL, and no query or fragment, since a path is appended. */
  private static Optional<HttpUrl> baseUrl(String text) {
    return when(text, OutboundHttp::isAllowedUrl)
        .map(HttpUrl::parse)
        .filter(url -> url.query() == null && url.fragment() == null);
  }

  private static Optional<Integer> count(String text) {
    return when(text, t -> COUNT_TEXT.matcher(t).matches())
        .map(Integer::valueOf)
        .filter(n -> n <= 1_000_000);
  }

  private static Optional<Address> address(String text) {
    try {
      return Optional.of(Address.parse(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> call(String text) {
    var matcher = CALL.matcher(text);
    return matcher.matches() && address(matcher.group(1)).isPresent()
        ? Optional.of(text.toLowerCase(Locale.ROOT))
        : Optional.empty();
  }
}
