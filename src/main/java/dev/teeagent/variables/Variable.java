package dev.teeagent.variables;

/**
 * One stored variable. For a hidden variable {@code value} is the decrypted plaintext, for the
 * agent's own use only, and {@code valueHash} is keccak256 of the ciphertext it arrived in (the
 * only thing about it that is ever shown); public variables have no {@code valueHash}.
 */
public record Variable(
    String name, String value, String valueHash, boolean hidden, boolean immutable) {
  public Variable {
    if (name == null || value == null) {
      throw new IllegalArgumentException("name and value are required");
    }
    if (hidden != (valueHash != null)) {
      throw new IllegalArgumentException("a hidden variable, and only one, has a value hash");
    }
  }

  /** What anyone may see: a hidden value is null, with the hash of its ciphertext. */
  public VariableView view() {
    return new VariableView(name, hidden ? null : value, valueHash, hidden, immutable);
  }

  @Override
  public String toString() {
    return "Variable["
        + name
        + (hidden ? " hidden, value=[REDACTED]" : " value=" + value)
        + (immutable ? " immutable" : "")
        + "]";
  }
}
