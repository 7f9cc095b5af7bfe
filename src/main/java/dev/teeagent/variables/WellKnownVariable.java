package dev.teeagent.variables;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One well-known variable (DESIGN §5): its name, whether it may be hidden, the rule its value
 * follows (one line, quoted in refusals and in the docs' table) and the parser that turns a value
 * into what the agent uses. The same parser runs when the operator sets the variable and whenever
 * the agent reads it, so a value the agent accepts is a value it can use.
 *
 * @param <T> what the agent uses: a number, an address set, a URL…
 */
public record WellKnownVariable<T>(
    String name,
    Visibility visibility,
    String rule,
    Function<String, Optional<T>> parser,
    Optional<String> defaultText) {
  /** Whether a value may be, or must be, hidden. */
  public enum Visibility {
    /** The agent publishes the value (in answers, or as policy a verifier reads): never hidden. */
    PUBLISHED,
    /** Public or hidden, as the operator chooses. */
    HIDEABLE,
    /** A credential the agent sends elsewhere: only ever set hidden. */
    SECRET
  }

  /** A default must follow the rule: it is what the agent uses while the variable is unset. */
  public WellKnownVariable {
    defaultText.ifPresent(text -> parse(name, rule, parser, text));
  }

  /** A variable holding one value; {@code parser} is empty for a value that breaks {@code rule}. */
  static <T> WellKnownVariable<T> one(
      String name, Visibility visibility, String rule, Function<String, Optional<T>> parser) {
    return new WellKnownVariable<>(name, visibility, rule, parser, Optional.empty());
  }

  /** A comma-separated list without spaces or empty entries, each entry following {@code rule}. */
  static <E> WellKnownVariable<Set<E>> list(
      String name, Visibility visibility, String rule, Function<String, Optional<E>> entry) {
    String listRule = "a comma-separated list (no spaces, no empty entry) of " + rule;
    return new WellKnownVariable<>(
        name,
        visibility,
        listRule,
        text -> Optional.of(entries(name, listRule, text, entry)),
        Optional.empty());
  }

  /** The same variable, with the value it has while unset (parsed by the same rule). */
  WellKnownVariable<T> withDefault(String text) {
    return new WellKnownVariable<>(name, visibility, rule, parser, Optional.of(text));
  }

  /**
   * The typed value of {@code text}.
   *
   * @throws InvalidValue when {@code text} breaks the rule
   */
  public T parse(String text) {
    return parse(name, rule, parser, text);
  }

  private static <T> T parse(
      String name, String rule, Function<String, Optional<T>> parser, String text) {
    return parser
        .apply(text)
        .orElseThrow(() -> new InvalidValue(name, "the value must be " + rule, false));
  }

  /**
   * The typed value now: the variable's value, else its default, else empty.
   *
   * @throws InvalidValue when the stored value breaks the rule (it cannot, once set)
   */
  public Optional<T> read(VariableSource source) {
    return source.value(name).or(() -> defaultText).map(this::parse);
  }

  private static <E> Set<E> entries(
      String name, String listRule, String text, Function<String, Optional<E>> entry) {
    Set<E> parsed = new LinkedHashSet<>();
    String[] texts = text.split(",", -1);
    for (int i = 0; i < texts.length; i++) {
      String problem =
          texts[i].isEmpty()
              ? "entry " + (i + 1) + " of the comma-separated list is empty"
              : "entry " + (i + 1) + " is not valid";
      Optional<E> value = texts[i].isEmpty() ? Optional.empty() : entry.apply(texts[i]);
      if (value.isEmpty()) {
        throw new InvalidValue(
            name, problem + "; the value must be " + listRule, texts[i].isEmpty());
      }
      parsed.add(value.get());
    }
    return Set.copyOf(parsed);
  }

  @Override
  public String toString() {
    return name;
  }
}
