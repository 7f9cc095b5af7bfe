package dev.teeagent.transactions;

import dev.teeagent.config.DurationText;
import dev.teeagent.crypto.Address;
import dev.teeagent.crypto.Eip712;
import dev.teeagent.crypto.EthSignature;
import dev.teeagent.crypto.Secp256k1;
import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import dev.teeagent.variables.InvalidValue;
import dev.teeagent.variables.NonceGate;
import dev.teeagent.variables.VariableSource;
import dev.teeagent.variables.WellKnownValues;
import dev.teeagent.variables.WellKnownVariable;
import dev.teeagent.variables.WellKnownVariables;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The transaction policy of DESIGN §5, all of it: who may ask, and the limits that bind every mode
 * (the operator's included, which is what makes a frozen policy provable). Nothing is signed unless
 * {@link #admit} and {@link #check} pass and {@link #spend} takes the budget; each refusal is a 403
 * whose code names the rule.
 *
 * <p>Who may ask: the operator, with an {@link Authorization} using {@code operator_nonce}; an
 * address in {@code tx_api_signers}, with an authorization using its own nonce; anyone when {@code
 * tx_open} is "true". Open and API-signer modes are refused unless {@code tx_max_value_wei} and
 * {@code tx_budget_wei} are set. An authorization that is present must be valid: it never falls
 * back to open mode.
 *
 * <p>Limits: {@code tx_max_value_wei}; {@code tx_max_fee_wei} (gas limit × max fee per gas); {@code
 * tx_budget_wei} (value + max fee of everything signed within the rolling {@code tx_budget_window},
 * {@link BudgetLedger}); {@code tx_allowed_to}; {@code tx_allowed_calls} (non-empty data needs its
 * {@code to:selector} listed, so an allowed token's {@code transfer} cannot send funds where {@code
 * tx_allowed_to} would not); {@code tx_allowed_chain_ids}; {@code tx_allowed_rpc_urls} (exact
 * match).
 *
 * <p>The {@code tx_*} variables are read together once per request (so one request sees one
 * policy), typed by {@link WellKnownVariables}, which checks them when they are set. An absent
 * limit or list means "no restriction", except {@code tx_allowed_calls}, whose absence allows no
 * call at all. A value that still does not parse (a restored state) fails closed with 503.
 */
public final class TransactionPolicy {
  private static final List<WellKnownVariable<?>> POLICY = WellKnownVariables.named("tx_");

  private final VariableSource variables;
  private final Address operator;
  private final Eip712.Domain domain;
  private final Supplier<BigInteger> operatorNonce;
  private final SignerNonces signerNonces;
  private final Clock clock;
  private final BudgetLedger ledger;
  private final RestoreCoolDown coolDown;

  public TransactionPolicy(
      VariableSource variables,
      Address operator,
      Eip712.Domain domain,
      Supplier<BigInteger> operatorNonce,
      SignerNonces signerNonces,
      Clock clock) {
    this.variables = variables;
    this.operator = operator;
    this.domain = domain;
    this.operatorNonce = operatorNonce;
    this.signerNonces = signerNonces;
    this.clock = clock;
    this.ledger = new BudgetLedger(clock);
    this.coolDown = new RestoreCoolDown(clock);
  }

  /** Who authorized a transaction. */
  public enum Mode {
    OPERATOR,
    API_SIGNER,
    OPEN;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A request that passed every rule the request alone decides, with the policy it was read at. */
  public record Admission(
      Mode mode, Optional<Address> signer, WellKnownValues rules, SignTransactionRequest request) {}

  /** A request whose chain is known, and where that chain id came from. */
  public record Pinned(SignTransactionRequest request, String chainIdSource) {}

  /**
   * The request's chain: its {@code chain_id}; else the one id of {@code tx_allowed_chain_ids};
   * else, when that list has several, the RPC's {@code eth_chainId} if it is listed (the RPC asked
   * only once the policy allows it). Without a pin, {@code chain_id} is required.
   */
  public Pinned pinChain(SignTransactionRequest request, Supplier<BigInteger> rpcChainId) {
    if (request.chainId() != null) {
      return new Pinned(request, "request");
    }
    WellKnownValues rules = read();
    Optional<Set<BigInteger>> listed = rules.get(WellKnownVariables.TX_ALLOWED_CHAIN_IDS);
    if (listed.isEmpty()) {
      throw new AgentException(
          ErrorCode.MISSING_FIELD,
          "chain_id is required: add \"chain_id\": <the chain's id> to the request (the operator"
              + " can pin one chain with tx_allowed_chain_ids, which makes chain_id optional)");
    }
    if (listed.get().size() == 1) {
      return new Pinned(
          request.withChainId(listed.get().iterator().next()),
          WellKnownVariables.TX_ALLOWED_CHAIN_IDS.name());
    }
    requireAllowedRpc(rules, request);
    BigInteger reported = rpcChainId.get();
    if (!listed.get().contains(reported)) {
      throw refuse(
          ErrorCode.TX_CHAIN_NOT_ALLOWED,
          "the RPC reports chain "
              + reported
              + ", which is not in tx_allowed_chain_ids ("
              + sorted(listed.get())
              + ")");
    }
    return new Pinned(request.withChainId(reported), "rpc");
  }

  /** Who asks, and every limit the request decides by itself; before any RPC call. */
  public Admission admit(SignTransactionRequest request) {
    WellKnownValues rules = read();
    Admission admission = who(request, rules);
    coolDown.require(
        admission.mode(),
        Optional.ofNullable(request.authorization()).map(a -> a.deadline().value()));
    Optional<BigInteger> maxValue = rules.get(WellKnownVariables.TX_MAX_VALUE_WEI);
    Optional<BigInteger> budget = rules.get(WellKnownVariables.TX_BUDGET_WEI);
    Optional<Set<BigInteger>> chainIds = rules.get(WellKnownVariables.TX_ALLOWED_CHAIN_IDS);
    Optional<Set<Address>> allowedTo = rules.get(WellKnownVariables.TX_ALLOWED_TO);
    if (admission.mode() != Mode.OPERATOR
        && (maxValue.isEmpty()
            || budget.isEmpty()
            || rules.get(WellKnownVariables.TX_ALLOWED_RPC_URLS).isEmpty())) {
      // Without an operator-chosen RPC, a client's own node would decide which of the agent's
      // nonces are free again and whether a fee can be mined: it could stall the agent's sequence.
      throw refuse(
          ErrorCode.TX_LIMITS_REQUIRED,
          admission.mode().wireName()
              + " mode needs tx_max_value_wei, tx_budget_wei and tx_allowed_rpc_urls to be set by"
              + " the operator");
    }
    if (admission.mode() != Mode.OPERATOR && !request.broadcast()) {
      throw refuse(
          ErrorCode.TX_BROADCAST_REQUIRED,
          "only the operator may have a transaction signed without broadcast: an unsent"
              + " transaction holds a nonce that every later one waits behind; leave broadcast"
              + " out (it defaults to true)");
    }
    TransactionFields tx = request.transaction();
    requireAllowedRpc(rules, request);
    if (chainIds.isPresent() && !chainIds.get().contains(request.chainId().value())) {
      throw refuse(
          ErrorCode.TX_CHAIN_NOT_ALLOWED,
          "chain "
              + request.chainId()
              + " is not in tx_allowed_chain_ids ("
              + sorted(chainIds.get())
              + ")");
    }
    if (allowedTo.isPresent() && !allowedTo.get().contains(tx.toAddress())) {
      throw refuse(ErrorCode.TX_TO_NOT_ALLOWED, tx.to() + " is not in tx_allowed_to");
    }
    if (tx.hasCall()) {
      String entry = callEntry(tx.toAddress(), tx.data());
      if (tx.data().length() < 10
          || !rules.get(WellKnownVariables.TX_ALLOWED_CALLS).orElse(Set.of()).contains(entry)) {
        throw refuse(
            ErrorCode.TX_CALL_NOT_ALLOWED,
            "a transaction with data needs its address:selector ("
                + entry
                + ") in tx_allowed_calls");
      }
    }
    BigInteger value = tx.value().value();
    if (maxValue.isPresent() && value.compareTo(maxValue.get()) > 0) {
      throw refuse(
          ErrorCode.TX_MAX_VALUE_EXCEEDED,
          "value " + value + " exceeds tx_max_value_wei " + maxValue.get());
    }
    requireBudget(rules, value);
    return admission;
  }

  /** The limits that need the final gas and fees; after the RPC calls, before signing. */
  public void check(Admission admission, UnsignedTransaction tx) {
    BigInteger fee = tx.maxFeeWei();
    Optional<BigInteger> maxFee = admission.rules().get(WellKnownVariables.TX_MAX_FEE_WEI);
    if (maxFee.isPresent() && fee.compareTo(maxFee.get()) > 0) {
      throw refuse(
          ErrorCode.TX_MAX_FEE_EXCEEDED,
          "gas limit × max fee per gas = " + fee + " exceeds tx_max_fee_wei " + maxFee.get());
    }
    Authorization authorization = admission.request().authorization();
    if (authorization != null && fee.compareTo(authorization.maxFeeWei().value()) > 0) {
      throw refuse(
          ErrorCode.TX_AUTHORIZED_FEE_EXCEEDED,
          "gas limit × max fee per gas = "
              + fee
              + " exceeds the authorization's max_fee_wei "
              + authorization.maxFeeWei());
    }
    requireBudget(admission.rules(), tx.maxCostWei());
  }

  private void requireBudget(WellKnownValues rules, BigInteger cost) {
    Optional<BigInteger> budget = rules.get(WellKnownVariables.TX_BUDGET_WEI);
    if (budget.isEmpty()) {
      return;
    }
    Duration window = window(rules);
    Optional<Instant> restored = ledger.countedSpentUntil(window);
    if (restored.isPresent()) {
      throw budgetCoolingDown(window, restored.get());
    }
    if (ledger.spent(window).add(cost).compareTo(budget.get()) > 0) {
      throw budgetExceeded(rules, cost);
    }
  }

  /**
   * Takes value + max fee from the budget, atomically with the check, so concurrent requests never
   * overspend it together. Called just before the signature leaves the agent.
   */
  public void spend(Admission admission, UnsignedTransaction tx) {
    WellKnownValues rules = admission.rules();
    Optional<BigInteger> budget = rules.get(WellKnownVariables.TX_BUDGET_WEI);
    if (!ledger.spend(budget, window(rules), tx.maxCostWei())) {
      requireBudget(rules, tx.maxCostWei());
      throw budgetExceeded(rules, tx.maxCostWei());
    }
  }

  /** value + max fee of everything signed within {@code tx_budget_window} up to now. */
  public BigInteger spent() {
    return ledger.spent(window());
  }

  /** {@code tx_budget_window} now; the default while it is invalid (signing refuses then). */
  private Duration window() {
    try {
      return WellKnownVariables.TX_BUDGET_WINDOW.read(variables).orElseThrow();
    } catch (InvalidValue invalid) {
      return BudgetLedger.DEFAULT_WINDOW;
    }
  }

  /** While the budget counts as fully spent after a restore: until when. */
  public Optional<Instant> budgetCountedSpentUntil() {
    return ledger.countedSpentUntil(window());
  }

  /** The spendings with their times (what a sealed snapshot keeps). */
  public BudgetLedger ledger() {
    return ledger;
  }

  /** The rule after a restore from a sealed snapshot. */
  public RestoreCoolDown coolDown() {
    return coolDown;
  }

  /** The API signers listed now (for {@code signer_nonces}); none when the variable is invalid. */
  public Set<Address> apiSigners() {
    try {
      return WellKnownVariables.TX_API_SIGNERS.read(variables).orElse(Set.of());
    } catch (InvalidValue invalid) {
      return Set.of();
    }
  }

  /** The {@code tx_*} policy now, typed; 503 when a value does not parse. */
  private WellKnownValues read() {
    try {
      return WellKnownValues.read(variables, POLICY);
    } catch (InvalidValue invalid) {
      throw new AgentException(
          ErrorCode.TX_POLICY_INVALID,
          "the policy variable "
              + invalid.variable()
              + " is not valid ("
              + invalid.problem()
              + "); nothing is signed until it is fixed");
    }
  }

  /** The {@code address:0xselector} entry a call to {@code to} with {@code data} needs. */
  private static String callEntry(Address to, String data) {
    return (to.checksummed() + ":" + data.substring(0, Math.min(data.length(), 10)))
        .toLowerCase(Locale.ROOT);
  }

  private Admission who(SignTransactionRequest request, WellKnownValues rules) {
    Authorization authorization = request.authorization();
    if (request.fillNonce() != null && authorization == null) {
      throw fillOperatorOnly();
    }
    if (authorization == null) {
      if (rules.get(WellKnownVariables.TX_OPEN).orElseThrow()) {
        return new Admission(Mode.OPEN, Optional.empty(), rules, request);
      }
      throw refuse(
          ErrorCode.TX_AUTHORIZATION_REQUIRED,
          "an authorization by the operator or an address in tx_api_signers is required"
              + " (tx_open is not \"true\")");
    }
    BigInteger now = BigInteger.valueOf(clock.millis() / 1000);
    if (now.compareTo(authorization.deadline().value()) > 0) {
      throw new AgentException(
          ErrorCode.DEADLINE_EXPIRED,
          "the authorization's deadline "
              + authorization.deadline()
              + " has passed (now "
              + now
              + ")");
    }
    coolDown.requireLifetime(authorization.deadline().value());
    Address signer = recover(request, authorization);
    BigInteger nonce = authorization.nonce().value();
    if (signer.equals(operator)) {
      NonceGate.requireNext(NonceGate.OPERATOR, nonce, operatorNonce.get());
      return new Admission(Mode.OPERATOR, Optional.of(signer), rules, request);
    }
    if (request.fillNonce() != null) {
      throw fillOperatorOnly();
    }
    if (rules.get(WellKnownVariables.TX_API_SIGNERS).orElse(Set.of()).contains(signer)) {
      NonceGate.requireNext(SignerNonces.counter(signer), nonce, signerNonces.next(signer));
      return new Admission(Mode.API_SIGNER, Optional.of(signer), rules, request);
    }
    throw refuse(
        ErrorCode.TX_SIGNER_NOT_ALLOWED,
        "the authorization does not recover to the operator or an address in tx_api_signers"
            + " (signed by someone else, or for other request fields, chain or agent)");
  }

  private Address recover(SignTransactionRequest request, Authorization authorization) {
    EthSignature signature;
    try {
      signature = EthSignature.parse(authorization.signature());
    } catch (IllegalArgumentException e) {
      throw new AgentException(
          ErrorCode.BAD_SIGNATURE,
          "authorization.signature must be 0x + 65 bytes r‖s‖v with low s (v 27/28 or 0/1)");
    }
    TransactionFields tx = request.transaction();
    SignRequest signed =
        new SignRequest(
            tx.toAddress(),
            tx.value().value(),
            tx.data(),
            request.chainId().value(),
            authorization.maxFeeWei().value(),
            request.broadcast(),
            authorization.nonce().value(),
            authorization.deadline().value());
    byte[] digest =
        request.fillNonce() == null
            ? signed.digest(domain)
            : signed.fillDigest(domain, request.fillNonce().value());
    return Secp256k1.recoverAddress(digest, signature)
        .orElseThrow(
            () ->
                new AgentException(
                    ErrorCode.BAD_SIGNATURE, "the authorization's signature matches no key"));
  }

  /** The list is public (GET /variables), so the refusal names it: the cure is in the message. */
  private static void requireAllowedRpc(WellKnownValues rules, SignTransactionRequest request) {
    Optional<Set<String>> allowed = rules.get(WellKnownVariables.TX_ALLOWED_RPC_URLS);
    if (allowed.isPresent() && !allowed.get().contains(request.rpcUrl())) {
      throw refuse(
          ErrorCode.TX_RPC_URL_NOT_ALLOWED,
          "rpc_url "
              + request.rpcUrl()
              + " is not in tx_allowed_rpc_urls; the allowed ones are, exactly: "
              + String.join(", ", new TreeSet<>(allowed.get())));
    }
  }

  private static String sorted(Set<BigInteger> ids) {
    return String.join(",", new TreeSet<>(ids).stream().map(BigInteger::toString).toList());
  }

  private static Duration window(WellKnownValues rules) {
    return rules.get(WellKnownVariables.TX_BUDGET_WINDOW).orElseThrow();
  }

  private AgentException budgetExceeded(WellKnownValues rules, BigInteger cost) {
    return refuse(
        ErrorCode.TX_BUDGET_EXCEEDED,
        "value + max fee "
            + cost
            + " would take the spending of the last "
            + DurationText.format(window(rules))
            + " ("
            + ledger.spent(window(rules))
            + ") past tx_budget_wei "
            + rules.get(WellKnownVariables.TX_BUDGET_WEI).orElseThrow());
  }

  private AgentException budgetCoolingDown(Duration window, Instant until) {
    long wait = Math.max(1, Duration.between(clock.instant(), until).toSeconds() + 1);
    return new AgentException(
        ErrorCode.COOLING_DOWN,
        "tx_budget_wei counts as fully spent until "
            + until
            + " (unix "
            + until.getEpochSecond()
            + "): the agent's state was restored from a sealed snapshot at "
            + ledger.restoredAt().orElseThrow()
            + ", which may be older than the latest, so what was spent after it may be missing;"
            + " one tx_budget_window ("
            + DurationText.format(window)
            + ") after the restore the budget is whole again",
        Map.of(
            AgentException.RETRY_AFTER_SECONDS, wait, "cool_down_ends_at", until.getEpochSecond()));
  }

  private static AgentException fillOperatorOnly() {
    return refuse(
        ErrorCode.TX_FILL_OPERATOR_ONLY,
        "only the operator may fill or replace a nonce: fill_nonce needs an authorization signed"
            + " by the operator as a FillRequest");
  }

  private static AgentException refuse(ErrorCode code, String message) {
    return new AgentException(code, message);
  }
}
