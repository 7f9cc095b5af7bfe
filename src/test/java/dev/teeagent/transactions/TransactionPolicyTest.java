package dev.teeagent.transactions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.teeagent.crypto.Address;
import dev.teeagent.crypto.Eip712;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import dev.teeagent.json.Uint256;
import dev.teeagent.variables.WellKnownSamples;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The policy class on its own, for what the real agent cannot be driven into (a policy variable
 * that does not parse) and for the budget under concurrency. Every rule is also exercised end to
 * end in {@link TransactionPolicyIT}.
 */
class TransactionPolicyTest {
  private static final SigningKey OPERATOR = SigningKey.generate(new SecureRandom());
  private static final Address AGENT = SigningKey.generate(new SecureRandom()).address();
  private static final Eip712.Domain DOMAIN = new Eip712.Domain("t", "1", AGENT);
  private static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochSecond(1_800_000_000L), ZoneOffset.UTC);
  private final Map<String, String> variables = new HashMap<>();
  private final TransactionPolicy policy = policy(variables, OPERATOR.address(), DOMAIN, CLOCK);

  /** A policy on {@code variables} (changed by the test as it goes) with operator nonce 0. */
  static TransactionPolicy policy(
      Map<String, String> variables, Address operator, Eip712.Domain domain, Clock clock) {
    return new TransactionPolicy(
        name -> Optional.ofNullable(variables.get(name)),
        operator,
        domain,
        () -> BigInteger.ZERO,
        new SignerNonces(),
        clock);
  }

  private static SignTransactionRequest open(long value) {
    return new SignTransactionRequest(
        new TransactionFields(
            AGENT.checksummed(), Uint256.of(value), null, null, null, null, null, null),
        "https://rpc.example.org",
        Uint256.of(1),
        true,
        null,
        null);
  }

  private static UnsignedTransaction legacy(long value, long gasPrice) {
    return new UnsignedTransaction(
        0,
        1,
        null,
        AGENT,
        BigInteger.valueOf(value),
        "0x",
        BigInteger.valueOf(21_000),
        BigInteger.valueOf(gasPrice),
        null,
        null);
  }

  @Test
  void failsClosedWhenAPolicyVariableDoesNotParse() {
    variables.put("tx_open", "true");
    variables.put("tx_max_value_wei", "10");
    variables.put("tx_budget_wei", "1e18");
    assertThatThrownBy(() -> policy.admit(open(1)))
        .isInstanceOf(AgentException.class)
        .hasMessageContaining("tx_budget_wei")
        .extracting(e -> ((AgentException) e).code())
        .isEqualTo(ErrorCode.TX_POLICY_INVALID);
    variables.put("tx_budget_wei", "100");
    variables.put("tx_allowed_to", AGENT.checksummed() + ",");
    assertThatThrownBy(() -> policy.admit(open(1))).hasMessageContaining("tx_allowed_to");
    assertThat(policy.apiSigners()).isEmpty();
  }

  @Test
  void allowsNoCallWhileTxAllowedCallsIsUnset() {
    SignTransactionRequest call =
        new SignTransactionRequest(
            new TransactionFields(
                AGENT.checksummed(), null, "0xa9059cbb", null, null, null, null, null),
            "https://rpc.example.org",
            Uint256.of(1),
            true,
            null,
            null);
    variables.put("tx_open", "true");
    variables.put("tx_max_value_wei", "10");
    variables.put("tx_budget_wei", "100");
    variables.put("tx_allowed_rpc_urls", "https://rpc.example.org");
    assertThatThrownBy(() -> policy.admit(call))
        .extracting(e -> ((AgentException) e).code())
        .isEqualTo(ErrorCode.TX_CALL_NOT_ALLOWED);
    variables.put("tx_allowed_calls", AGENT.checksummed().toLowerCase() + ":0xA9059CBB");
    assertThat(policy.admit(call).mode()).isEqualTo(TransactionPolicy.Mode.OPEN);
  }

  @Test
  void neverLetsConcurrentSpendsTogetherExceedTheBudget() throws Exception {
    variables.put("tx_open", "true");
    variables.put("tx_max_value_wei", "1000");
    BigInteger cost = legacy(1000, 1).maxCostWei();
    variables.put("tx_budget_wei", cost.multiply(BigInteger.valueOf(7)).toString());
    variables.put("tx_allowed_rpc_urls", "https://rpc.example.org");
    TransactionPolicy.Admission admission = policy.admit(open(1000));
    List<Callable<Boolean>> spends = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      spends.add(
          () -> {
            try {
              policy.spend(admission, legacy(1000, 1));
              return true;
            } catch (AgentException budget) {
              return false;
            }
          });
    }
    int accepted = 0;
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (Future<Boolean> result : pool.invokeAll(spends)) {
        accepted += result.get() ? 1 : 0;
      }
    }
    assertThat(accepted).isEqualTo(7);
    assertThat(policy.spent()).isEqualTo(cost.multiply(BigInteger.valueOf(7)));
  }

  static Stream<Arguments> acceptedPolicyValues() {
    return WellKnownSamples.GOOD.entrySet().stream()
        .filter(e -> e.getKey().startsWith("tx_"))
        .flatMap(e -> e.getValue().stream().map(value -> Arguments.of(e.getKey(), value)));
  }

  /** Whatever else it decides, a value set accepts never makes the policy unreadable. */
  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("acceptedPolicyValues")
  void everyValueSetAcceptsIsOneThePolicyCanRead(String name, String value) {
    variables.put(name, value);
    AgentException refused =
        catchThrowableOfType(AgentException.class, () -> policy.admit(open(1)));
    if (refused != null) {
      assertThat(refused.code()).isNotEqualTo(ErrorCode.TX_POLICY_INVALID);
    }
    assertThat(policy.pinChain(open(1), () -> BigInteger.ONE).request()).isNotNull();
  }
}
