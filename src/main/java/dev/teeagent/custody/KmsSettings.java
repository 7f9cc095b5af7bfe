package dev.teeagent.custody;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * How to reach KMS. The credentials come from the host and are untrusted: they only authorize a
 * call; the key policy's measurement condition is what binds the key to the code. They never appear
 * in {@link #toString()}.
 *
 * @param region e.g. eu-west-1
 * @param endpoint an endpoint override (a VPC endpoint, the host link, or dev-kms); empty = AWS's
 * @param accessKeyId the access key id
 * @param secretAccessKey the secret access key
 * @param sessionToken the session token of temporary (instance role) credentials, if any
 * @param callTimeout the deadline of one call including retries
 * @param instanceRole when present, credentials are the EC2 instance role's, fetched (IMDSv2) from
 *     this instance metadata endpoint (through the host link in an enclave) instead of the access
 *     key above, which is then empty
 */
public record KmsSettings(
    String region,
    Optional<URI> endpoint,
    String accessKeyId,
    String secretAccessKey,
    Optional<String> sessionToken,
    Duration callTimeout,
    Optional<URI> instanceRole) {

  /** Credentials given at start (an access key, with a session token if temporary). */
  public KmsSettings(
      String region,
      Optional<URI> endpoint,
      String accessKeyId,
      String secretAccessKey,
      Optional<String> sessionToken,
      Duration callTimeout) {
    this(
        region,
        endpoint,
        accessKeyId,
        secretAccessKey,
        sessionToken,
        callTimeout,
        Optional.empty());
  }

  /** The instance role's credentials, from the instance metadata service at {@code imds}. */
  public static KmsSettings instanceRole(
      String region, Optional<URI> endpoint, URI imds, Duration callTimeout) {
    return new KmsSettings(
        region, endpoint, "", "", Optional.empty(), callTimeout, Optional.of(imds));
  }

  public KmsSettings {
    if (region == null || !region.matches("[a-z]{2}(-[a-z0-9]+)+-[0-9]+")) {
      throw new IllegalArgumentException(
          "the KMS region is not an AWS region name such as eu-west-1");
    }
    if (instanceRole.isEmpty()
        && (accessKeyId == null
            || accessKeyId.isBlank()
            || secretAccessKey == null
            || secretAccessKey.isBlank())) {
      throw new IllegalArgumentException("KMS credentials need an access key id and a secret key");
    }
    if (callTimeout.isNegative() || callTimeout.isZero()) {
      throw new IllegalArgumentException("the KMS call timeout must be positive");
    }
  }

  @Override
  public String toString() {
    return "KmsSettings[region="
        + region
        + ", endpoint="
        + endpoint.map(URI::toString).orElse("(AWS)")
        + ", accessKeyId="
        + accessKeyId
        + ", secretAccessKey=[REDACTED], sessionToken="
        + (sessionToken.isPresent() ? "[REDACTED]" : "(none)")
        + ", callTimeout="
        + callTimeout
        + instanceRole.map(imds -> ", instanceRole=" + imds).orElse("")
        + "]";
  }
}
