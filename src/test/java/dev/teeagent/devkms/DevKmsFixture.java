package dev.teeagent.devkms;

import dev.teeagent.nsm.NsmException;
import dev.teeagent.nsm.SimulatedNsm;
import dev.teeagent.verifier.TrustedRoot;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * A dev-kms on a loopback port trusting a simulated NSM's root, the enclave's RSA key and documents
 * carrying it, and a plain SDK client (an "administrator") to create keys.
 */
final class DevKmsFixture implements AutoCloseable {
  static final SecureRandom RANDOM = new SecureRandom();
  final Path dataDir;
  final SimulatedNsm nsm;
  final KeyPair enclaveKey;
  final byte[] pcr0;
  DevKmsServer server;
  final KmsClient admin;

  DevKmsFixture(Path dataDir) throws IOException, NsmException, NoSuchAlgorithmException {
    this.dataDir = dataDir;
    this.nsm = SimulatedNsm.start(Clock.systemUTC(), RANDOM);
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048, RANDOM);
    this.enclaveKey = rsa.generateKeyPair();
    this.pcr0 = nsm.describePcr(0).data();
    this.server = start();
    this.admin =
        KmsClient.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(endpoint())
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
  }

  DevKmsServer start() throws IOException {
    return DevKmsServer.start(
        "127.0.0.1",
        server == null ? 0 : server.port(),
        dataDir,
        TrustedRoot.of(nsm.rootCertificate()),
        Clock.systemUTC(),
        RANDOM,
        "us-east-1",
        "111122223333",
        Optional.empty());
  }

  void restart() throws IOException {
    server.close();
    server = start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  String pcr0Hex() {
    return HexFormat.of().formatHex(pcr0);
  }

  /** A fresh document whose public_key is the enclave's RSA key. */
  byte[] document() throws NsmException {
    return nsm.attestation(null, null, enclaveKey.getPublic().getEncoded());
  }

  /** The docs' locked policy, pinned to {@code measurement}. */
  static String lockedPolicy(String measurement) throws IOException {
    String doc =
        Files.readString(Path.of("docs", "custody.md").toAbsolutePath(), StandardCharsets.UTF_8);
    String json = doc.substring(doc.indexOf("```json\n") + 8);
    return json.substring(0, json.indexOf("```")).replace("PCR0_HEX", measurement);
  }

  /** A policy that lets anyone do anything with the key (KMS's default, for anyone). */
  static String openPolicy() {
    return "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\","
        + "\"Resource\":\"*\"}]}";
  }

  /** A key whose policy is {@code policy}, created with the lockout check bypassed. */
  String createKey(String policy) {
    return admin
        .createKey(r -> r.policy(policy).bypassPolicyLockoutSafetyCheck(true).description("test"))
        .keyMetadata()
        .keyId();
  }

  static SdkBytes bytes(byte[] b) {
    return SdkBytes.fromByteArray(b);
  }

  @Override
  public void close() {
    admin.close();
    server.close();
    nsm.close();
  }
}
