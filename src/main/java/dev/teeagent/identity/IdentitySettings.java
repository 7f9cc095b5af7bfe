package dev.teeagent.identity;

import dev.teeagent.config.ConfigException;
import dev.teeagent.custody.CustodyException;
import dev.teeagent.custody.KmsSettings;
import dev.teeagent.nsm.SimulatedNsm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code serve --state-dir DIR --kms-key-id ID --kms-region R [--kms-endpoint URL]
 * [--new-identity]}: where the sealed identity is kept and which KMS key seals it. Credentials come
 * from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), never from a
 * flag that {@code ps} would show; they only authorize: the key policy binds the code.
 */
public record IdentitySettings(
    SnapshotFolder folder, String keyId, KmsSettings kms, boolean newIdentity) {
  static final Duration KMS_CALL_TIMEOUT = Duration.ofSeconds(30);
  static final Duration STATE_STORE_TIMEOUT = Duration.ofSeconds(30);
  static final String SIMULATED_CA = "simulated-ca.properties";
  static final URI DEFAULT_IMDS = URI.create("http://169.254.169.254");

  public record Flags(
      Path stateDir,
      String stateUrl,
      String kmsEndpoint,
      String kmsKeyId,
      String kmsRegion,
      String kmsCredentials,
      boolean newIdentity) {}

  /**
   * Empty without {@code --state-dir} or {@code --state-url} (no flag of this group may then be
   * given).
   */
  public static Optional<IdentitySettings> load(Flags flags, Map<String, String> env) {
    if (flags.stateDir() != null && flags.stateUrl() != null) {
      throw new ConfigException(
          "--state-url: not with --state-dir (the state is kept in one place: a local folder, or"
              + " the host's state store from an enclave)");
    }
    if (flags.stateDir() == null && flags.stateUrl() == null) {
      String stray =
          flags.kmsKeyId() != null
              ? "--kms-key-id"
              : flags.kmsRegion() != null
                  ? "--kms-region"
                  : flags.kmsEndpoint() != null
                      ? "--kms-endpoint"
                      : flags.kmsCredentials() != null
                          ? "--kms-credentials"
                          : flags.newIdentity() ? "--new-identity" : null;
      if (stray != null) {
        throw new ConfigException(
            stray + ": only with --state-dir or --state-url (a sealed identity)");
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
    KmsSettings kms;
    try {
      kms =
          flags.kmsCredentials() == null || flags.kmsCredentials().equals("env")
              ? fromEnvironment(flags.kmsRegion(), endpoint, env)
              : KmsSettings.instanceRole(
                  flags.kmsRegion(), endpoint, imds(flags.kmsCredentials()), KMS_CALL_TIMEOUT);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--kms-region: " + e.getMessage());
    }
    SnapshotFolder folder =
        flags.stateDir() != null
            ? new LocalSnapshotFolder(flags.stateDir())
            : new HostSnapshotFolder(stateUrl(flags.stateUrl()), STATE_STORE_TIMEOUT);
    return Optional.of(new IdentitySettings(folder, flags.kmsKeyId(), kms, flags.newIdentity()));
  }

  private static KmsSettings fromEnvironment(
      String region, Optional<URI> endpoint, Map<String, String> env) {
    String accessKey = env.get("AWS_ACCESS_KEY_ID");
    String secretKey = env.get("AWS_SECRET_ACCESS_KEY");
    if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
      throw new ConfigException(
          "--state-dir: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set (the host's"
              + " credentials for KMS), or --kms-credentials instance-role");
    }
    return new KmsSettings(
        region,
        endpoint,
        accessKey,
        secretKey,
        Optional.ofNullable(env.get("AWS_SESSION_TOKEN")).filter(t -> !t.isBlank()),
        KMS_CALL_TIMEOUT);
  }

  /**
   * {@code instance-role} (IMDS at its link-local address, reached through the host link) or {@code
   * instance-role=http://host:port} (another metadata endpoint).
   */
  private static URI imds(String source) {
    if (source.equals("instance-role")) {
      return DEFAULT_IMDS;
    }
    if (source.startsWith("instance-role=")) {
      try {
        URI uri = new URI(source.substring("instance-role=".length()));
        if ("http".equals(uri.getScheme()) && uri.getHost() != null && uri.getRawQuery() == null) {
          return uri;
        }
      } catch (URISyntaxException e) {
        // named below
      }
    }
    throw new ConfigException(
        "--kms-credentials: env (AWS_* variables), instance-role, or instance-role=http://host:port"
            + " (an instance metadata endpoint)");
  }

  /** The state store's base URL: plain http (every blob is sealed) to a host and port. */
  private static URI stateUrl(String text) {
    try {
      URI uri = new URI(text);
      if (!"http".equals(uri.getScheme())
          || uri.getHost() == null
          || uri.getRawUserInfo() != null
          || uri.getRawQuery() != null
          || uri.getRawFragment() != null) {
        throw new URISyntaxException(text, "not http://host:port");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ConfigException(
          "--state-url: not an http://host:port URL of the host's state store, such as"
              + " http://192.168.127.254:7048");
    }
  }

  /**
   * The simulated NSM of a sealed identity (simulated attestation only), its CA kept with the state
   * so that restarts attest under the same root: in the state folder, or as the state store's blob
   * {@code simulated-ca.properties} (copied through a temporary file, written back when made here).
   */
  public SimulatedNsm keptSimulatedNsm(Clock clock, SecureRandom random) {
    if (folder instanceof LocalSnapshotFolder local) {
      return SimulatedNsm.keptIn(local.dir().resolve(SIMULATED_CA), clock, random);
    }
    try {
      Path dir = Files.createTempDirectory("tee-agent-simulated-ca");
      Path file = dir.resolve(SIMULATED_CA);
      try {
        Optional<byte[]> kept = folder.read(SIMULATED_CA);
        if (kept.isPresent()) {
          Files.write(file, kept.get());
        }
        SimulatedNsm nsm = SimulatedNsm.keptIn(file, clock, random);
        if (kept.isEmpty()) {
          folder.write(SIMULATED_CA, Files.readAllBytes(file));
        }
        return nsm;
      } finally {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("the simulated CA cannot be kept", e);
    } catch (CustodyException e) {
      throw new ConfigException(
          folder.where()
              + ": the simulated CA cannot be read, so the agent does not start: "
              + e.getMessage());
    }
  }
}
