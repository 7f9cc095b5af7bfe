package dev.teeagent.identity;

import dev.teeagent.config.ConfigException;
import dev.teeagent.custody.KmsSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code serve --state-dir DIR --kms-key-id ID --kms-region R [--kms-endpoint URL]
 * [--new-identity]}: where the sealed identity is kept and which KMS key seals it. Credentials come
 * from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), never from a
 * flag that {@code ps} would show; they only authorize: the key policy binds the code.
 */
public record IdentitySettings(Path stateDir, String keyId, KmsSettings kms, boolean newIdentity) {
  static final Duration KMS_CALL_TIMEOUT = Duration.ofSeconds(30);

  public record Flags(
      Path stateDir, String kmsEndpoint, String kmsKeyId, String kmsRegion, boolean newIdentity) {}

  /** Empty without {@code --state-dir} (no flag of this group may then be given). */
  public static Optional<IdentitySettings> load(Flags flags, Map<String, String> env) {
    if (flags.stateDir() == null) {
      String stray =
          flags.kmsKeyId() != null
              ? "--kms-key-id"
              : flags.kmsRegion() != null
                  ? "--kms-region"
                  : flags.kmsEndpoint() != null
                      ? "--kms-endpoint"
                      : flags.newIdentity() ? "--new-identity" : null;
      if (stray != null) {
        throw new ConfigException(stray + ": only with --state-dir (a sealed identity)");
      }
      return Optional.empty();
    }
    if (flags.kmsKeyId() == null || flags.kmsKeyId().isBlank()) {
      throw new ConfigException("--kms-key-id: must be set with --state-dir (the KMS key's id)");
    }
    if (flags.kmsRegion() == null) {
      throw new ConfigException("--kms-region: must be set with --state-dir (e.g. eu-west-1)");
    }
    Optional<URI> endpoint = Optional.empty();
    if (flags.kmsEndpoint() != null) {
      try {
        URI uri = new URI(flags.kmsEndpoint());
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
            || uri.getHost() == null) {
          throw new URISyntaxException(flags.kmsEndpoint(), "not http(s)");
        }
        endpoint = Optional.of(uri);
      } catch (URISyntaxException e) {
        throw new ConfigException(
            "--kms-endpoint: not an http(s) URL such as https://kms.eu-west-1.amazonaws.com");
      }
    }
    String accessKey = env.get("AWS_ACCESS_KEY_ID");
    String secretKey = env.get("AWS_SECRET_ACCESS_KEY");
    if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
      throw new ConfigException(
          "--state-dir: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set (the host's"
              + " credentials for KMS)");
    }
    KmsSettings kms;
    try {
      kms =
          new KmsSettings(
              flags.kmsRegion(),
              endpoint,
              accessKey,
              secretKey,
              Optional.ofNullable(env.get("AWS_SESSION_TOKEN")).filter(t -> !t.isBlank()),
              KMS_CALL_TIMEOUT);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--kms-region: " + e.getMessage());
    }
    return Optional.of(
        new IdentitySettings(flags.stateDir(), flags.kmsKeyId(), kms, flags.newIdentity()));
  }

  /** The simulated CA's file in the state folder (simulated attestation only). */
  public Path simulatedCaFile() {
    return stateDir.resolve("simulated-ca.properties");
  }
}
