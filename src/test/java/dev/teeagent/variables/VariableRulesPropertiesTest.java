package dev.teeagent.variables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.crypto.SigningKey;
import dev.teeagent.error.AgentException;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.testing.RandomCases;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random sequences of operator batches against the real rules, state and ECIES: whatever the
 * operator sends, an immutable variable never changes, a public variable never becomes hidden, an
 * immutable variable never becomes mutable, a refused batch changes nothing, and the nonce grows by
 * exactly the number of accepted batches.
 */
class VariableRulesPropertiesTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final SigningKey AGENT_KEY = SigningKey.generate(RANDOM);

  /** A command before encryption: hidden sets are sealed to the agent unless {@code inClear}. */
  record Spec(
      String function,
      String name,
      String value,
      boolean hidden,
      boolean immutable,
      boolean inClear) {
    VariableCommand toCommand() {
      if (function.equals("set") && hidden && !inClear) {
        String sealed =
            HiddenValues.seal(AGENT_KEY.publicKey(), AGENT_KEY.address(), name, value, RANDOM);
        return new VariableCommand(function, name, sealed, true, immutable);
      }
      return new VariableCommand(function, name, value, hidden, immutable);
    }
  }

  /** Mostly sets, of a few names (one reserved, one invalid), rarely sent in clear. */
  private static Spec spec(Random random) {
    String function =
        weighted(random, 6, "set", 2, "reveal", 2, "freeze", 2, "delete", 1, "rename");
    String name = weighted(random, 5, "alpha", 5, "beta", 5, "gamma", 2, "tx_allowed_to", 1, "Bad");
    String value =
        random.nextBoolean()
            ? RandomCases.chars(random, 0, 6, 'a', 'z')
            : RandomCases.oneOf(random, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", ",", "");
    return new Spec(
        function, name, value, random.nextBoolean(), random.nextBoolean(), random.nextInt(10) == 0);
  }

  /** Picks among values, each after its weight: {@code weight, value, weight, value, ...}. */
  private static String weighted(Random random, Object... weightsAndValues) {
    int total = 0;
    for (int i = 0; i < weightsAndValues.length; i += 2) {
      total += (int) weightsAndValues[i];
    }
    int pick = random.nextInt(total);
    for (int i = 0; ; i += 2) {
      pick -= (int) weightsAndValues[i];
      if (pick < 0) {
        return (String) weightsAndValues[i + 1];
      }
    }
  }

  @Test
  void noSequenceOfBatchesBreaksTheRules() {
    int[] outcomes = new int[3]; // runs with no accepted batch, 1-4, 5 or more
    RandomCases.forEach(
        0x7a71_ab1eL,
        300,
        (random, index) -> {
          List<List<Spec>> batches =
              RandomCases.listOf(
                  random, 20, r -> RandomCases.listOf(r, 3, VariableRulesPropertiesTest::spec));
          int accepted = noSequenceBreaksTheRules(batches);
          outcomes[accepted == 0 ? 0 : accepted < 5 ? 1 : 2]++;
        });
    // The generator reaches every kind of run, so the rules are exercised, not just refused.
    assertThat(outcomes).doesNotContain(0);
  }

  private static int noSequenceBreaksTheRules(List<List<Spec>> batches) {
    AgentState state =
        new AgentState(
            new VariableRules(new HiddenValues(AGENT_KEY)),
            Clock.systemUTC(),
            JsonMappers.strict());
    int accepted = 0;
    for (List<Spec> specs : batches) {
      AgentState.Snapshot before = state.snapshot();
      List<VariableCommand> commands = specs.stream().map(Spec::toCommand).toList();
      boolean ok;
      try {
        state.applyBatch(before.operatorNonce(), commands, JsonMappers.strict().createObjectNode());
        ok = true;
      } catch (AgentException refused) {
        ok = false;
      }
      AgentState.Snapshot after = state.snapshot();
      if (ok) {
        accepted++;
        assertThat(after.operatorNonce()).isEqualTo(before.operatorNonce().add(BigInteger.ONE));
      } else {
        assertThat(after).isEqualTo(before);
      }
      for (Map.Entry<String, Variable> entry : before.variables().entrySet()) {
        Variable was = entry.getValue();
        Variable now = after.variables().get(entry.getKey());
        if (was.immutable()) {
          assertThat(now).isEqualTo(was);
        }
        if (!was.hidden() && now != null) {
          assertThat(now.hidden()).isFalse();
        }
      }
      assertThat(after.auditLength()).isEqualTo(accepted);
    }
    assertThat(state.operatorNonce()).isEqualTo(BigInteger.valueOf(accepted));
    return accepted;
  }

  @Test
  void aStaleOrFutureNonceIsAlwaysRefusedWithoutChange() {
    RandomCases.forEach(
        0x57a1eL,
        100,
        (random, index) -> staleOrFutureNonceIsRefused(spec(random), random.nextBoolean()));
  }

  private static void staleOrFutureNonceIsRefused(Spec spec, boolean future) {
    AgentState state =
        new AgentState(
            new VariableRules(new HiddenValues(AGENT_KEY)),
            Clock.systemUTC(),
            JsonMappers.strict());
    state.applyBatch(BigInteger.ZERO, List.of(), JsonMappers.strict().createObjectNode());
    AgentState.Snapshot before = state.snapshot();
    BigInteger wrong = future ? BigInteger.TWO : BigInteger.ZERO;
    List<VariableCommand> commands = new ArrayList<>(List.of(spec.toCommand()));
    try {
      state.applyBatch(wrong, commands, JsonMappers.strict().createObjectNode());
      throw new AssertionError("a wrong nonce was accepted");
    } catch (AgentException refused) {
      assertThat(refused.code().code()).isEqualTo("stale_nonce");
    }
    assertThat(state.snapshot()).isEqualTo(before);
  }
}
