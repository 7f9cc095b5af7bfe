package dev.teeagent.variables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.teeagent.crypto.SigningKey;
import dev.teeagent.error.AgentException;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.variables.WellKnownVariable.Visibility;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For every entry of the registry, through the real rules and ECIES: every value {@code set}
 * accepts (hidden ones after decryption) reads back as a typed value, and every sample of a bad
 * value is refused at set time naming the variable and the rule, changing nothing.
 */
class WellKnownVariablesTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final SigningKey AGENT_KEY = SigningKey.generate(RANDOM);
  private final VariableRules rules = new VariableRules(new HiddenValues(AGENT_KEY));

  static Stream<Arguments> good() {
    return WellKnownVariables.ALL.stream()
        .flatMap(
            variable ->
                WellKnownSamples.GOOD.getOrDefault(variable.name(), List.of()).stream()
                    .map(value -> Arguments.of(variable.name(), value)));
  }

  static Stream<Arguments> bad() {
    return WellKnownSamples.bad();
  }

  /** Sealed to the agent when {@code hidden}, as the operator CLI sends it. */
  private static VariableCommand set(String name, String value, boolean hidden) {
    String sent =
        hidden
            ? HiddenValues.seal(AGENT_KEY.publicKey(), AGENT_KEY.address(), name, value, RANDOM)
            : value;
    return VariableCommand.set(name, sent, hidden, false);
  }

  private static VariableSource source(SortedMap<String, Variable> variables) {
    return name -> Optional.ofNullable(variables.get(name)).map(Variable::value);
  }

  @Test
  void everyVariableHasValuesItAcceptsAndValuesItRefuses() {
    TreeSet<String> names = new TreeSet<>();
    WellKnownVariables.ALL.forEach(variable -> names.add(variable.name()));
    assertThat(names).hasSize(WellKnownVariables.ALL.size());
    assertThat(new TreeSet<>(WellKnownSamples.GOOD.keySet())).isEqualTo(names);
    TreeSet<String> refused = new TreeSet<>(WellKnownSamples.FREE_TEXT);
    bad().forEach(arguments -> refused.add((String) arguments.get()[0]));
    assertThat(refused).isEqualTo(names);
  }

  @Test
  void everyVariableDeclaredInTheRegistryIsListedInAll() throws IllegalAccessException {
    List<WellKnownVariable<?>> declared = new ArrayList<>();
    for (Field field : WellKnownVariables.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == WellKnownVariable.class) {
        declared.add((WellKnownVariable<?>) field.get(null));
      }
    }
    assertThat(declared).hasSizeGreaterThan(10);
    assertThat(WellKnownVariables.ALL).containsExactlyInAnyOrderElementsOf(declared);
    for (WellKnownVariable<?> known : declared) {
      assertThat(WellKnownVariables.find(known.name())).containsSame(known);
    }
  }

  @Test
  void oneReadSeesOneMomentOfTheState() {
    AgentState state = new AgentState(rules, Clock.systemUTC(), JsonMappers.strict());
    VariableSource before = state.now();
    state.applyBatch(
        BigInteger.ZERO,
        List.of(set("tx_max_value_wei", "5", false)),
        JsonMappers.strict().createObjectNode());
    assertThat(
            WellKnownValues.read(before, WellKnownVariables.named("tx_"))
                .get(WellKnownVariables.TX_MAX_VALUE_WEI))
        .isEmpty();
    assertThat(
            WellKnownValues.read(state, WellKnownVariables.named("tx_"))
                .get(WellKnownVariables.TX_MAX_VALUE_WEI))
        .contains(BigInteger.valueOf(5));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("good")
  void everyValueAcceptedWhenSetIsATypedValueWhenRead(String name, String value) {
    WellKnownVariable<?> variable = WellKnownVariables.find(name).orElseThrow();
    List<Boolean> ways =
        switch (variable.visibility()) {
          case PUBLISHED -> List.of(false);
          case HIDEABLE -> List.of(false, true);
          case SECRET -> List.of(true);
        };
    for (boolean hidden : ways) {
      SortedMap<String, Variable> after =
          rules.apply(new TreeMap<>(), List.of(set(name, value, hidden)));
      assertThat(after.get(name).value()).isEqualTo(value);
      Optional<?> typed = variable.read(source(after));
      assertThat(typed).isPresent();
      assertThat(WellKnownValues.read(source(after), WellKnownVariables.ALL).get(variable))
          .isEqualTo(typed);
    }
  }

  @ParameterizedTest(name = "{0} = {1} → {2}")
  @MethodSource("bad")
  void everyRefusedValueIsRefusedWhenSetNamingTheVariableAndTheRule(
      String name, String value, String code) {
    WellKnownVariable<?> variable = WellKnownVariables.find(name).orElseThrow();
    SortedMap<String, Variable> current =
        rules.apply(new TreeMap<>(), List.of(set("kept", "1", false)));
    boolean hidden = variable.visibility() == Visibility.SECRET;
    List<VariableCommand> batch = List.of(set("first", "ok", false), set(name, value, hidden));

    AgentException refused =
        catchThrowableOfType(AgentException.class, () -> rules.apply(current, batch));

    assertThat(refused).as("%s = %s accepted", name, value).isNotNull();
    assertThat(refused.code().code()).isEqualTo(code);
    assertThat(refused.clientMessage())
        .startsWith("commands[1] (" + name + "): ")
        .contains(variable.rule());
    if (hidden && !value.isBlank()) {
      assertThat(refused.clientMessage()).doesNotContain(value);
    }
    assertThat(current).containsOnlyKeys("kept");
    assertThatThrownBy(() -> variable.parse(value)).isInstanceOf(InvalidValue.class);
  }

  @Test
  void anUnsetVariableReadsAsItsDefaultParsedByTheSameRule() {
    VariableSource empty = name -> Optional.empty();
    for (WellKnownVariable<?> variable : WellKnownVariables.ALL) {
      assertThat(variable.read(empty))
          .as(variable.name())
          .isEqualTo(variable.defaultText().map(variable::parse));
    }
    assertThat(WellKnownVariables.LLM_BASE_URL.read(empty).orElseThrow())
        .hasToString("https://openrouter.ai/api/v1");
    assertThat(WellKnownVariables.TX_OPEN.read(empty)).contains(false);
  }

  @Test
  void aVariableOutsideTheRegistryHoldsAnyText() {
    assertThat(WellKnownVariables.find("some_other_name")).isEmpty();
    SortedMap<String, Variable> after =
        rules.apply(new TreeMap<>(), List.of(set("some_other_name", "anything , at all,,", false)));
    assertThat(after.get("some_other_name").value()).isEqualTo("anything , at all,,");
  }
}
