package dev.teeagent.variables;

/**
 * Opens the encrypted value of a hidden {@code set} (DESIGN §5). Implementations refuse with an
 * {@link dev.teeagent.error.AgentException} a value that is not a ciphertext, one the agent's key
 * cannot open, and one encrypted for another agent or another variable.
 */
public interface SecretOpener {
  /** A decrypted hidden value and keccak256 of the ciphertext it came in (0x-hex). */
  record Opened(String plaintext, String ciphertextHash) {
    @Override
    public String toString() {
      return "Opened[plaintext=[REDACTED], ciphertextHash=" + ciphertextHash + "]";
    }
  }

  /**
   * @param where how to name the command in an error, e.g. "commands[2]"
   */
  Opened open(String where, String name, String ciphertextHex);
}
