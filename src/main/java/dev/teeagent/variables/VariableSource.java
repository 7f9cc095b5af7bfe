package dev.teeagent.variables;

import java.util.Optional;

/**
 * Read access to the operator's variables for the agent's other capabilities (prompt, transaction
 * policy). Values of hidden variables are returned in plaintext because the agent itself needs them
 * (e.g. the LLM API key): callers must never put them in a response, a log line, an exception
 * message or a toString.
 */
public interface VariableSource {
  /** The current value of {@code name}, or empty when the variable does not exist. */
  Optional<String> value(String name);

  /**
   * The values as they are now, fixed, so several read through it are of one moment. A source that
   * never changes may return itself.
   */
  default VariableSource now() {
    return this;
  }
}
