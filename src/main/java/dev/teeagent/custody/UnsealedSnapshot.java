package dev.teeagent.custody;

/**
 * What a sealed snapshot holds: the agent's private key, its state bytes and the snapshot counter
 * that was authenticated with them. The key never appears in {@link #toString()}.
 */
public record UnsealedSnapshot(long counter, byte[] privateKey, byte[] state) {
  public UnsealedSnapshot {
    privateKey = privateKey.clone();
    state = state.clone();
  }

  @Override
  public byte[] privateKey() {
    return privateKey.clone();
  }

  @Override
  public byte[] state() {
    return state.clone();
  }

  @Override
  public String toString() {
    return "UnsealedSnapshot[counter="
        + counter
        + ", privateKey=[REDACTED], state="
        + state.length
        + " bytes]";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof UnsealedSnapshot that
        && counter == that.counter
        && java.security.MessageDigest.isEqual(privateKey, that.privateKey)
        && java.util.Arrays.equals(state, that.state);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(counter) * 31 + java.util.Arrays.hashCode(state);
  }
}
