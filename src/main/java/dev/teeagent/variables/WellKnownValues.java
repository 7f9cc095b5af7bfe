package dev.teeagent.variables;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The typed values of some well-known variables, read together, so that one request sees one policy
 * however the operator changes it meanwhile. An unset variable without a default is empty.
 */
public final class WellKnownValues {
  private final Map<WellKnownVariable<?>, Optional<?>> values;

  private WellKnownValues(Map<WellKnownVariable<?>, Optional<?>> values) {
    this.values = values;
  }

  /**
   * Reads and parses {@code variables} now.
   *
   * @throws InvalidValue when a stored value breaks its rule (it cannot, once set)
   */
  public static WellKnownValues read(VariableSource source, List<WellKnownVariable<?>> variables) {
    VariableSource now = source.now();
    Map<WellKnownVariable<?>, Optional<?>> values = new HashMap<>();
    for (WellKnownVariable<?> variable : variables) {
      values.put(variable, variable.read(now));
    }
    return new WellKnownValues(Map.copyOf(values));
  }

  /** The value of {@code variable} as read; it must be one of those read. */
  @SuppressWarnings("unchecked") // put by read() from the same variable's parser
  public <T> Optional<T> get(WellKnownVariable<T> variable) {
    Optional<?> value = values.get(variable);
    if (value == null) {
      throw new IllegalArgumentException(variable + " was not read");
    }
    return (Optional<T>) value;
  }

  @Override
  public String toString() {
    return "WellKnownValues" + values.keySet();
  }
}
