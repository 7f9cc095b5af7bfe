package dev.teeagent.variables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.crypto.SigningKey;
import dev.teeagent.error.AgentException;
import dev.teeagent.json.JsonMappers;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Random sequences of operator batches against the real rules, state and ECIES: whatever the
 * operator sends, an immutable variable never changes, a public variable never becomes hidden, an
 * immutable variable never becomes mutable, a refused batch changes nothing, and the nonce grows by
 * exactly the number of accepted batches.
 */
class VariableRulesProperties {
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

  @Provide
  Arbitrary<Spec> specs() {
    Arbitrary<String> functions =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, Arbitraries.just("set")),
            net.jqwik.api.Tuple.of(2, Arbitraries.just("reveal")),
            net.jqwik.api.Tuple.of(2, Arbitraries.just("freeze")),
            net.jqwik.api.Tuple.of(2, Arbitraries.just("delete")),
            net.jqwik.api.Tuple.of(1, Arbitraries.just("rename")));
    Arbitrary<String> names =
        Arbitraries.frequency(
            net.jqwik.api.Tuple.of(5, "alpha"),
            net.jqwik.api.Tuple.of(5, "beta"),
            net.jqwik.api.Tuple.of(5, "gamma"),
            net.jqwik.api.Tuple.of(2, "tx_allowed_to"),
            net.jqwik.api.Tuple.of(1, "Bad"));
    Arbitrary<String> values =
        Arbitraries.oneOf(
            Arbitraries.strings().alpha().ofMaxLength(6),
            Arbitraries.of("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", ",", ""));
    return Combinators.combine(
            functions,
            names,
            values,
            Arbitraries.of(true, false),
            Arbitraries.of(true, false),
            Arbitraries.frequency(
                net.jqwik.api.Tuple.of(1, true), net.jqwik.api.Tuple.of(9, false)))
        .as(Spec::new);
  }

  @Provide
  Arbitrary<List<List<Spec>>> batches() {
    return specs().list().ofMaxSize(3).list().ofMaxSize(20);
  }

  @Property(tries = 300)
  void noSequenceOfBatchesBreaksTheRules(@ForAll("batches") List<List<Spec>> batches) {
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
    Statistics.label("accepted batches")
        .collect(accepted == 0 ? "0" : accepted < 5 ? "1-4" : "5 or more");
    Statistics.label("hidden variables at the end")
        .collect(state.snapshot().variables().values().stream().anyMatch(Variable::hidden));
    Statistics.label("immutable variables at the end")
        .collect(state.snapshot().variables().values().stream().anyMatch(Variable::immutable));
  }

  @Property(tries = 100)
  void aStaleOrFutureNonceIsAlwaysRefusedWithoutChange(
      @ForAll("specs") Spec spec, @ForAll boolean future) {
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
