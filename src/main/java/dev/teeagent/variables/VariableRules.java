package dev.teeagent.variables;

import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import dev.teeagent.variables.WellKnownVariable.Visibility;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The variable rules of DESIGN §5, in one place. A batch is applied to a copy of the variables,
 * command by command in order; the first refused command refuses the whole batch and the current
 * variables are never touched, so a batch applies whole or not at all.
 *
 * <ul>
 *   <li>{@code set}: create or change; a new variable takes the given flags. On an existing one
 *       {@code immutable} may stay or go false→true, {@code hidden} may stay or go true→false (a
 *       public value never becomes secret). A hidden value must arrive encrypted. A well-known
 *       variable whose value the agent publishes ({@link WellKnownVariable.Visibility#PUBLISHED})
 *       is never hidden: that would only pretend to keep it secret; one the agent uses as a
 *       credential ({@link WellKnownVariable.Visibility#SECRET}) is never public.
 *   <li>{@code reveal}: hidden → public. {@code freeze}: mutable → immutable. {@code delete}:
 *       mutable only. These carry a name only (empty value, flags false).
 *   <li>Immutable means nothing about the variable changes again: value, hidden, existence. Every
 *       command on an immutable variable is refused, even one that would change nothing.
 *   <li>Names match {@code ^[a-z][a-z0-9_]{0,63}$}; values are at most 64 KiB (UTF-8, as sent); the
 *       well-known variables must hold values their parsers accept ({@link WellKnownVariables}),
 *       checked after a hidden value is decrypted, so that a value accepted is a value usable.
 * </ul>
 */
public final class VariableRules {
  public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
  public static final int MAX_VALUE_BYTES = 64 * 1024;

  private final SecretOpener opener;

  public VariableRules(SecretOpener opener) {
    this.opener = opener;
  }

  /** The variables after {@code commands}; {@code current} is not modified. */
  public SortedMap<String, Variable> apply(
      SortedMap<String, Variable> current, List<VariableCommand> commands) {
    TreeMap<String, Variable> next = new TreeMap<>(current);
    for (int i = 0; i < commands.size(); i++) {
      apply(next, "commands[" + i + "]", commands.get(i));
    }
    return Collections.unmodifiableSortedMap(next);
  }

  private void apply(TreeMap<String, Variable> variables, String where, VariableCommand command) {
    String name = command.name();
    if (!NAME.matcher(name).matches()) {
      throw new AgentException(
          ErrorCode.INVALID_VARIABLE_NAME,
          where + ": a variable name matches ^[a-z][a-z0-9_]{0,63}$");
    }
    where = where + " (" + name + ")";
    if (command.value().getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
      throw new AgentException(ErrorCode.VALUE_TOO_LARGE, where + ": a value is at most 64 KiB");
    }
    Variable existing = variables.get(name);
    switch (command.function()) {
      case "set" -> variables.put(name, set(where, existing, command));
      case "reveal" -> {
        Variable hidden = requireMutable(where, existing, command);
        if (!hidden.hidden()) {
          throw new AgentException(ErrorCode.NOT_HIDDEN, where + ": the variable is not hidden");
        }
        variables.put(name, new Variable(name, hidden.value(), null, false, false));
      }
      case "freeze" -> {
        Variable mutable = requireMutable(where, existing, command);
        variables.put(
            name, new Variable(name, mutable.value(), mutable.valueHash(), mutable.hidden(), true));
      }
      case "delete" -> {
        requireMutable(where, existing, command);
        variables.remove(name);
      }
      default ->
          throw new AgentException(
              ErrorCode.INVALID_COMMAND,
              where + ": function must be one of set, reveal, freeze, delete");
    }
  }

  private Variable set(String where, Variable existing, VariableCommand command) {
    if (existing != null && existing.immutable()) {
      throw immutable(where);
    }
    Optional<WellKnownVariable<?>> wellKnown = WellKnownVariables.find(command.name());
    Visibility visibility =
        wellKnown.map(WellKnownVariable::visibility).orElse(Visibility.HIDEABLE);
    if (!command.hidden() && visibility == Visibility.SECRET) {
      throw new AgentException(
          ErrorCode.CREDENTIAL_NOT_HIDDEN,
          where
              + ": the agent uses this variable as a credential, so it must be sealed: set it with"
              + " hidden true (operator set --name "
              + command.name()
              + " --value-file FILE --hidden encrypts it to the agent's attested key); a public"
              + " value would be published in /variables and /audit for good");
    }
    if (existing != null && !existing.hidden() && command.hidden()) {
      throw new AgentException(
          ErrorCode.CANNOT_HIDE_PUBLIC,
          where
              + ": a public variable never becomes hidden (its value is already published); to"
              + " replace it with a sealed one, delete it in one batch (operator delete --name "
              + command.name()
              + "), then set it with hidden true in the next, and treat the old value as known");
    }
    if (command.hidden() && visibility == Visibility.PUBLISHED) {
      throw new AgentException(
          ErrorCode.CANNOT_HIDE_PUBLIC,
          where
              + ": the agent publishes this variable's value (in its answers, or as policy a"
              + " verifier reads), so it cannot be hidden");
    }
    String value = command.value();
    String valueHash = null;
    if (command.hidden()) {
      SecretOpener.Opened opened = opener.open(where, command.name(), value);
      value = opened.plaintext();
      valueHash = opened.ciphertextHash();
    }
    if (wellKnown.isPresent()) {
      requireValid(where, wellKnown.get(), value);
    }
    return new Variable(command.name(), value, valueHash, command.hidden(), command.immutable());
  }

  /** Refuses a value the variable's parser refuses, naming the variable (in where) and the rule. */
  private static void requireValid(String where, WellKnownVariable<?> variable, String value) {
    try {
      variable.parse(value);
    } catch (InvalidValue invalid) {
      throw new AgentException(
          invalid.emptyEntry() ? ErrorCode.EMPTY_LIST_ENTRY : ErrorCode.INVALID_VALUE,
          where + ": " + invalid.problem());
    }
  }

  /** The existing, mutable variable a reveal/freeze/delete acts on. */
  private static Variable requireMutable(String where, Variable existing, VariableCommand command) {
    if (!command.value().isEmpty() || command.hidden() || command.immutable()) {
      throw new AgentException(
          ErrorCode.INVALID_COMMAND,
          where + ": " + command.function() + " takes a name only (empty value, flags false)");
    }
    if (existing == null) {
      throw new AgentException(ErrorCode.VARIABLE_NOT_FOUND, where + ": no such variable");
    }
    if (existing.immutable()) {
      throw immutable(where);
    }
    return existing;
  }

  private static AgentException immutable(String where) {
    return new AgentException(
        ErrorCode.VARIABLE_IMMUTABLE, where + ": the variable is immutable and never changes");
  }
}
