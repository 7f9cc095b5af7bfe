package dev.teeagent.transactions;

import dev.teeagent.crypto.Address;
import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import dev.teeagent.json.Uint256;
import dev.teeagent.variables.VariableSource;
import dev.teeagent.variables.WellKnownValues;
import java.math.BigInteger;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The {@code tx_*} variables of DESIGN §5, read once per request so that one request sees one
 * policy. An absent limit or list means "no restriction" — except {@code tx_allowed_calls}, whose
 * absence allows no call at all. The variables capability checks these formats when they are set; a
 * value that still does not parse (it cannot, unless that check changes) fails closed with 503.
 */
record PolicyVariables(
    boolean open,
    Set<Address> apiSigners,
    Optional<BigInteger> maxValueWei,
    Optional<BigInteger> maxFeeWei,
    Optional<BigInteger> budgetWei,
    Duration budgetWindow,
    Optional<Set<Address>> allowedTo,
    Set<String> allowedCalls,
    Optional<Set<BigInteger>> allowedChainIds,
    Optional<Set<String>> allowedRpcUrls) {
  static final String OPEN = "tx_open";
  static final String API_SIGNERS = "tx_api_signers";
  static final String MAX_VALUE = "tx_max_value_wei";
  static final String MAX_FEE = "tx_max_fee_wei";
  static final String BUDGET = "tx_budget_wei";
  static final String BUDGET_WINDOW = "tx_budget_window";
  static final String ALLOWED_TO = "tx_allowed_to";
  static final String ALLOWED_CALLS = "tx_allowed_calls";
  static final String ALLOWED_CHAIN_IDS = "tx_allowed_chain_ids";
  static final String ALLOWED_RPC_URLS = "tx_allowed_rpc_urls";

  private static final Pattern CALL = Pattern.compile("(0x[0-9a-fA-F]{40}):(0x[0-9a-fA-F]{8})");

  static PolicyVariables read(VariableSource source) {
    return new PolicyVariables(
        source.value(OPEN).map("true"::equals).orElse(false),
        source
            .value(API_SIGNERS)
            .map(v -> list(API_SIGNERS, v, PolicyVariables::address))
            .orElse(Set.of()),
        source.value(MAX_VALUE).map(v -> amount(MAX_VALUE, v)),
        source.value(MAX_FEE).map(v -> amount(MAX_FEE, v)),
        source.value(BUDGET).map(v -> amount(BUDGET, v)),
        budgetWindow(source),
        source.value(ALLOWED_TO).map(v -> list(ALLOWED_TO, v, PolicyVariables::address)),
        source
            .value(ALLOWED_CALLS)
            .map(v -> list(ALLOWED_CALLS, v, PolicyVariables::call))
            .orElse(Set.of()),
        source
            .value(ALLOWED_CHAIN_IDS)
            .map(v -> list(ALLOWED_CHAIN_IDS, v, PolicyVariables::decimal)),
        source.value(ALLOWED_RPC_URLS).map(v -> list(ALLOWED_RPC_URLS, v, Function.identity())));
  }

  /** The {@code address:0xselector} entry a call to {@code to} with {@code data} needs. */
  static String callEntry(Address to, String data) {
    return (to.checksummed() + ":" + data.substring(0, Math.min(data.length(), 10)))
        .toLowerCase(Locale.ROOT);
  }

  private static <T> Set<T> list(String name, String value, Function<String, T> entry) {
    Set<T> entries = new LinkedHashSet<>();
    for (String text : value.split(",", -1)) {
      if (text.isEmpty()) {
        throw invalid(name, "has an empty entry");
      }
      T parsed = entry.apply(text);
      if (parsed == null) {
        throw invalid(name, "has an entry that is not valid");
      }
      entries.add(parsed);
    }
    return Set.copyOf(entries);
  }

  /** {@code tx_budget_window}, or {@link BudgetLedger#DEFAULT_WINDOW} when it is not set. */
  static Duration budgetWindow(VariableSource source) {
    return source
        .value(BUDGET_WINDOW)
        .map(
            v ->
                WellKnownValues.budgetWindow(v)
                    .orElseThrow(
                        () -> invalid(BUDGET_WINDOW, "is not a duration from 1s to 366 days")))
        .orElse(BudgetLedger.DEFAULT_WINDOW);
  }

  private static BigInteger amount(String name, String value) {
    BigInteger parsed = decimal(value);
    if (parsed == null) {
      throw invalid(name, "is not a decimal amount of wei");
    }
    return parsed;
  }

  private static BigInteger decimal(String text) {
    return Uint256.parseDecimal(text).orElse(null);
  }

  private static Address address(String text) {
    try {
      return Address.parse(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String call(String text) {
    var matcher = CALL.matcher(text);
    if (!matcher.matches() || address(matcher.group(1)) == null) {
      return null;
    }
    return text.toLowerCase(Locale.ROOT);
  }

  private static AgentException invalid(String name, String problem) {
    return new AgentException(
        ErrorCode.TX_POLICY_INVALID,
        "the policy variable " + name + " " + problem + "; nothing is signed until it is fixed");
  }
}
