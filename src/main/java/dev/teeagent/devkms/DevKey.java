package dev.teeagent.devkms;

import java.util.ArrayList;
import java.util.List;

/**
 * One stand-in key as stored in the data folder: its id, ARN, AES-256 material (base64), policy,
 * creation time and grants. The material is a secret of the stand-in: never in toString.
 */
record DevKey(
    String keyId,
    String arn,
    String material,
    String policy,
    String description,
    long created,
    List<Grant> grants) {

  /** A grant as CreateGrant made it: the operations it gives its grantee beside the policy. */
  record Grant(
      String grantId,
      String name,
      String granteePrincipal,
      String retiringPrincipal,
      List<String> operations,
      long created) {
    Grant {
      operations = List.copyOf(operations);
    }
  }

  DevKey {
    // Keys stored before grants existed have none.
    grants = grants == null ? List.of() : List.copyOf(grants);
  }

  @Override
  public String toString() {
    return "DevKey[" + arn + ", material=[REDACTED]]";
  }

  DevKey withPolicy(String newPolicy) {
    return new DevKey(keyId, arn, material, newPolicy, description, created, grants);
  }

  DevKey withGrant(Grant grant) {
    List<Grant> more = new ArrayList<>(grants);
    more.add(grant);
    return new DevKey(keyId, arn, material, policy, description, created, more);
  }

  /** Whether a grant gives {@code action} (e.g. "kms:Decrypt"). */
  boolean granted(String action) {
    String operation = action.substring(action.indexOf(':') + 1);
    return grants.stream().anyMatch(grant -> grant.operations().contains(operation));
  }
}
