package dev.teeagent.identity;

import dev.teeagent.devkms.DevKmsServer;
import dev.teeagent.testing.LockedPolicy;
import dev.teeagent.verifier.TrustedRoot;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/** A dev-kms on a loopback port trusting one simulated root, with keys made as an admin would. */
final class KmsStandIn implements AutoCloseable {
  private final DevKmsServer server;

  KmsStandIn(Path dataDir, X509Certificate root) throws IOException {
    server =
        DevKmsServer.start(
            "127.0.0.1",
            0,
            dataDir,
            TrustedRoot.of(root),
            Clock.systemUTC(),
            new SecureRandom(),
            "us-east-1",
            "111122223333",
            Optional.empty());
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  /** A key with the docs' locked policy pinned to {@code pcr0Hex}. */
  String createKey(String pcr0Hex) throws IOException {
    return createKeyWithPolicy(LockedPolicy.forPcr0(pcr0Hex));
  }

  /** A key whose policy is {@code policy}, made with the lockout check bypassed. */
  String createKeyWithPolicy(String policy) {
    try (KmsClient admin =
        KmsClient.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(endpoint())
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDADMIN", "x")))
            .httpClient(UrlConnectionHttpClient.create())
            .build()) {
      return admin
          .createKey(r -> r.policy(policy).bypassPolicyLockoutSafetyCheck(true))
          .keyMetadata()
          .keyId();
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
