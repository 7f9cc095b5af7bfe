package dev.teeagent.custody;

import java.util.List;

/**
 * The custody statement the agent publishes: which KMS key holds its sealed identity, where that
 * key's material came from, the SHA-256 of the exact key policy bytes KMS returned, and whether
 * that policy is locked to this code (with every reason it is not).
 */
public record CustodyStatement(
    String keyId, String origin, String policySha256, boolean locked, List<String> reasons) {
  public CustodyStatement {
    reasons = List.copyOf(reasons);
  }
}
