package dev.teeagent.variables;

/**
 * A value that breaks the rule of its well-known variable. The problem names the rule and, for a
 * list, the entry, but never quotes the value: it may be a secret, and it is the caller's to show.
 */
public final class InvalidValue extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String variable;
  private final boolean emptyEntry;

  InvalidValue(String variable, String problem, boolean emptyEntry) {
    super(problem, null, false, false);
    this.variable = variable;
    this.emptyEntry = emptyEntry;
  }

  public String variable() {
    return variable;
  }

  /** E.g. "the value must be a decimal amount of wei"; never quotes the value. */
  public String problem() {
    return getMessage();
  }

  /** True when a list has an empty entry (set time answers {@code empty_list_entry}). */
  boolean emptyEntry() {
    return emptyEntry;
  }
}
