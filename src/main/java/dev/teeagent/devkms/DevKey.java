package dev.teeagent.devkms;

/**
 * One stand-in key as stored in the data folder: its id, ARN, AES-256 material (base64), policy and
 * creation time. The material is a secret of the stand-in: never in toString.
 */
record DevKey(
    String keyId, String arn, String material, String policy, String description, long created) {
  @Override
  public String toString() {
    return "DevKey[" + arn + ", material=[REDACTED]]";
  }

  DevKey withPolicy(String newPolicy) {
    return new DevKey(keyId, arn, material, newPolicy, description, created);
  }
}
