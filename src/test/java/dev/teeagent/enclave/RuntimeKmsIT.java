package dev.teeagent.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.devkms.DevKmsServer;
import dev.teeagent.hoststore.StateStoreServer;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.nsm.JarMeasurement;
import dev.teeagent.nsm.SimulatedNsm;
import dev.teeagent.testing.AgentJar;
import dev.teeagent.testing.ExternalCommand;
import dev.teeagent.testing.LockedPolicy;
import dev.teeagent.testing.TestAgent;
import dev.teeagent.verifier.TrustedRoot;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * KMS from the enclave's own Java runtime: the packaged agent on the jlink runtime of {@code make
 * runtime} (its CA bundle holding a throw-away test CA, as the image's holds the public ones) keeps
 * its identity in a host state store and calls a KMS stand-in over real TLS, which the runtime
 * verifies: the AWS SDK's classes and everything TLS needs are in the runtime, the custody
 * statement is read, a restart unseals the same address, and a KMS whose certificate the bundle
 * does not trust is never talked to.
 */
class RuntimeKmsIT {
  private static final ObjectMapper MAPPER = JsonMappers.strict();
  private static final char[] PASSWORD = "changeit".toCharArray();
  private static final String OPERATOR = TestAgent.OPERATOR.checksummed();
  private static final Map<String, String> CREDENTIALS =
      Map.of("AWS_ACCESS_KEY_ID", "AKIDHOSTROLE", "AWS_SECRET_ACCESS_KEY", "host-secret");

  private static Path work;
  private static Path runtime;
  private static StateStoreServer store;
  private static DevKmsServer trustedKms;
  private static DevKmsServer untrustedKms;
  private static String keyId;
  private static String untrustedKeyId;

  @BeforeAll
  static void startTheHostSideAndTrustTheTestCaInACopyOfTheRuntime() throws Exception {
    RuntimeAgent.buildRuntime();
    work = Files.createTempDirectory("runtime-kms");
    runtime = work.resolve("runtime");
    ExternalCommand.Result copy =
        ExternalCommand.of("cp", "-a", RuntimeAgent.RUNTIME.toString(), runtime.toString()).run();
    assertThat(copy.exitCode()).as(copy.output()).isZero();
    ThrowAwayCa testCa = ThrowAwayCa.create("TEE Agent KMS test CA");
    Path caPem = testCa.writeRootPem(work.resolve("kms-ca.pem"));
    ExternalCommand.Result imported =
        ExternalCommand.of(
                runtime.resolve("bin/keytool").toString(),
                "-keystore",
                runtime.resolve("lib/security/cacerts").toString(),
                "-storepass",
                "changeit",
                "-alias",
                "tee-agent-kms-test-ca",
                "-importcert",
                "-noprompt",
                "-file",
                caPem.toString())
            .run();
    assertThat(imported.exitCode()).as(imported.output()).isZero();

    Path storeDir = Files.createDirectories(work.resolve("store"));
    TrustedRoot root;
    try (SimulatedNsm ca =
        SimulatedNsm.keptIn(
            storeDir.resolve("simulated-ca.properties"), Clock.systemUTC(), new SecureRandom())) {
      root = TrustedRoot.of(ca.rootCertificate());
    }
    store = StateStoreServer.start("127.0.0.1", 0, storeDir);
    Path trustedKeys = testCa.writeServerKeyStore(work.resolve("kms.p12"), PASSWORD);
    trustedKms = kms(work.resolve("kms"), root, trustedKeys);
    keyId = lockedKey(trustedKms, trustedKeys);
    Path unknownKeys =
        ThrowAwayCa.create("Unknown CA").writeServerKeyStore(work.resolve("other.p12"), PASSWORD);
    untrustedKms = kms(work.resolve("other-kms"), root, unknownKeys);
    untrustedKeyId = lockedKey(untrustedKms, unknownKeys);
  }

  @AfterAll
  static void stopTheHostSide() {
    for (AutoCloseable server : new AutoCloseable[] {store, trustedKms, untrustedKms}) {
      try {
        if (server != null) {
          server.close();
        }
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void sealsAndUnsealsItsIdentityThroughKmsOverTlsTheRuntimeVerifies() throws Exception {
    JsonNode first;
    try (RuntimeAgent agent = start(trustedKms, keyId)) {
      first = MAPPER.readTree(agent.await("/api/v1/config"));
      RuntimeAgent.assertSignedBy(MAPPER.writeValueAsString(first), first.get("address").asText());
      assertThat(agent.log()).doesNotContain("Exception");
    }
    assertThat(first.at("/identity/persisted").asBoolean()).isTrue();
    assertThat(first.at("/identity/state_dir").asText()).isEqualTo(store.endpoint().toString());
    assertThat(first.at("/identity/custody/key_id").asText()).isEqualTo(keyId);
    assertThat(first.at("/identity/custody/locked").asBoolean()).as(first.toString()).isTrue();

    try (RuntimeAgent again = start(trustedKms, keyId)) {
      JsonNode second = MAPPER.readTree(again.await("/api/v1/config"));
      assertThat(second.get("address")).isEqualTo(first.get("address"));
      assertThat(second.at("/identity/snapshot_counter").asLong())
          .isGreaterThan(first.at("/identity/snapshot_counter").asLong());
      assertThat(again.log()).contains("sealed identity restored");
    }
  }

  @Test
  void refusesToStartWhenKmsPresentsACertificateTheRuntimeDoesNotTrust() throws Exception {
    try (RuntimeAgent agent = start(untrustedKms, untrustedKeyId)) {
      assertThat(agent.exitStatus()).isEqualTo(2);
      assertThat(agent.log())
          .contains("--state-url " + store.endpoint())
          .contains("cannot be reached for")
          .contains("does not start")
          .doesNotContain("listening on");
    }
  }

  private static RuntimeAgent start(DevKmsServer kms, String key) throws Exception {
    return RuntimeAgent.start(
        List.of(),
        runtime,
        "runtime-kms",
        OPERATOR,
        CREDENTIALS,
        List.of(
            "--state-url",
            store.endpoint().toString(),
            "--kms-endpoint",
            "https://localhost:" + kms.port(),
            "--kms-key-id",
            key,
            "--kms-region",
            "us-east-1"));
  }

  private static DevKmsServer kms(Path dir, TrustedRoot root, Path keyStore) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      keys.load(in, PASSWORD);
    }
    KeyManagerFactory managers =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    managers.init(keys, PASSWORD);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(managers.getKeyManagers(), null, new SecureRandom());
    return DevKmsServer.start(
        "127.0.0.1",
        0,
        dir,
        root,
        Clock.systemUTC(),
        new SecureRandom(),
        "us-east-1",
        "111122223333",
        Optional.of(tls));
  }

  /** A key with docs/custody.md's locked policy for the jar's PCR0, made as an admin would. */
  private static String lockedKey(DevKmsServer kms, Path keyStore) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      trust.load(in, PASSWORD);
    }
    TrustManagerFactory trusted =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trusted.init(trust);
    try (KmsClient admin =
        KmsClient.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(java.net.URI.create("https://localhost:" + kms.port()))
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDADMIN", "x")))
            .httpClient(
                UrlConnectionHttpClient.builder()
                    .tlsTrustManagersProvider(trusted::getTrustManagers)
                    .build())
            .build()) {
      return admin
          .createKey(
              r ->
                  r.policy(LockedPolicy.forPcr0(JarMeasurement.pcr0Hex(AgentJar.path())))
                      .bypassPolicyLockoutSafetyCheck(true))
          .keyMetadata()
          .keyId();
    }
  }
}
