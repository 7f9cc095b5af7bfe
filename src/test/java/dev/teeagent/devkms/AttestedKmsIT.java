package dev.teeagent.devkms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeagent.custody.AttestedKms;
import dev.teeagent.custody.CustodyException;
import dev.teeagent.custody.CustodyStatement;
import dev.teeagent.custody.KeyPolicyAnalyser;
import dev.teeagent.custody.KmsSettings;
import dev.teeagent.custody.RecipientEnvelope;
import dev.teeagent.custody.SealedIdentity;
import dev.teeagent.custody.SealedSnapshot;
import dev.teeagent.nsm.SimulatedNsm;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kms.model.GrantOperation;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.MalformedPolicyDocumentException;

/** The agent's KMS client (AWS SDK v2 over HttpURLConnection) against the dev-kms stand-in. */
class AttestedKmsIT {
  private static final Map<String, String> CONTEXT =
      Map.of("tee_name", "treasury", "operator", "0x1111", "purpose", "sealed-identity");
  @TempDir Path dir;
  private DevKmsFixture kms;
  private AttestedKms client;

  @BeforeEach
  void start() throws Exception {
    kms = new DevKmsFixture(dir);
    client = AttestedKms.connect(settings(kms.endpoint()));
  }

  @AfterEach
  void stop() {
    client.close();
    kms.close();
  }

  private static KmsSettings settings(URI endpoint) {
    return new KmsSettings(
        "us-east-1",
        Optional.of(endpoint),
        "AKIDHOSTROLE",
        "host-secret-key",
        Optional.of("host-session-token"),
        Duration.ofSeconds(30));
  }

  @Test
  void aDataKeyFromALockedKeyOpensInTheEnclaveAndDecryptsAgainAfterARestart() throws Exception {
    String keyId = kms.createKey(DevKmsFixture.lockedPolicy(kms.pcr0Hex()));

    AttestedKms.DataKey dataKey = client.generateDataKey(keyId, CONTEXT, kms.document());
    byte[] key =
        RecipientEnvelope.open(dataKey.ciphertextForRecipient(), kms.enclaveKey.getPrivate());
    SealedIdentity agent = new SealedIdentity("treasury", "0x1111");
    byte[] snapshot =
        SealedSnapshot.seal(key, agent, 1, new byte[32], "state".getBytes(), DevKmsFixture.RANDOM);

    kms.restart();
    byte[] envelope = client.decrypt(keyId, dataKey.ciphertextBlob(), CONTEXT, kms.document());
    byte[] again = RecipientEnvelope.open(envelope, kms.enclaveKey.getPrivate());

    assertThat(key).hasSize(32);
    assertThat(dataKey.keyArn()).endsWith(keyId);
    assertThat(again).isEqualTo(key);
    assertThat(SealedSnapshot.unseal(again, agent, snapshot).state()).isEqualTo("state".getBytes());
  }

  @Test
  void theCustodyStatementOfTheDocsPolicyIsLockedForThisImageOnly() throws Exception {
    String policy = DevKmsFixture.lockedPolicy(kms.pcr0Hex());
    String keyId = kms.createKey(policy);

    CustodyStatement statement =
        KeyPolicyAnalyser.analyse(
            client.describeKey(keyId), client.keyPolicy(keyId), client.listGrants(keyId), kms.pcr0);
    CustodyStatement forOther =
        KeyPolicyAnalyser.analyse(
            client.describeKey(keyId),
            client.keyPolicy(keyId),
            client.listGrants(keyId),
            new byte[48]);

    assertThat(statement.locked()).isTrue();
    assertThat(statement.keyId()).isEqualTo(keyId);
    assertThat(statement.origin()).isEqualTo("AWS_KMS");
    assertThat(client.keyPolicy(keyId)).isEqualTo(policy.getBytes(StandardCharsets.UTF_8));
    assertThat(forOther.locked()).isFalse();
  }

  @Test
  void aGrantMadeBeforeThePolicyWasLockedLeavesTheKeyNotLockedAndOpensItWithoutTheEnclave()
      throws Exception {
    String keyId = kms.createKey(DevKmsFixture.openPolicy());
    String grantId =
        kms.admin
            .createGrant(
                r ->
                    r.keyId(keyId)
                        .granteePrincipal("arn:aws:iam::111122223333:role/someone")
                        .operations(GrantOperation.DECRYPT))
            .grantId();
    String locked = DevKmsFixture.lockedPolicy(kms.pcr0Hex());
    kms.admin.putKeyPolicy(r -> r.keyId(keyId).policy(locked).bypassPolicyLockoutSafetyCheck(true));
    byte[] blob = client.generateDataKey(keyId, CONTEXT, kms.document()).ciphertextBlob();

    CustodyStatement statement =
        KeyPolicyAnalyser.analyse(
            client.describeKey(keyId), client.keyPolicy(keyId), client.listGrants(keyId), kms.pcr0);
    byte[] plaintext =
        kms.admin
            .decrypt(r -> r.ciphertextBlob(DevKmsFixture.bytes(blob)).encryptionContext(CONTEXT))
            .plaintext()
            .asByteArray();

    assertThat(client.listGrants(keyId).ids()).containsExactly(grantId);
    assertThat(statement.locked()).isFalse();
    assertThat(statement.reasons())
        .singleElement()
        .asString()
        .startsWith("the key has grant " + grantId + ": ");
    assertThat(plaintext).as("the grant opens the data key without any enclave").hasSize(32);
  }

  @Test
  void aKeyPinnedToAnotherImageRefusesThisOne() throws Exception {
    String keyId = kms.createKey(DevKmsFixture.lockedPolicy("ab".repeat(48)));

    assertThatThrownBy(() -> client.generateDataKey(keyId, CONTEXT, kms.document()))
        .isInstanceOf(CustodyException.class)
        .hasMessage(
            kms.endpoint()
                + " refused access: the key policy does not allow this enclave image (or these"
                + " credentials) (GenerateDataKey, HTTP 400)");
  }

  @Test
  void aDocumentFromAnotherRootOrTamperedIsRefusedAndAnUnknownKeyIsNamed() throws Exception {
    String keyId = kms.createKey(DevKmsFixture.lockedPolicy(kms.pcr0Hex()));
    byte[] foreign;
    try (SimulatedNsm other = SimulatedNsm.start(Clock.systemUTC(), DevKmsFixture.RANDOM)) {
      foreign = other.attestation(null, null, kms.enclaveKey.getPublic().getEncoded());
    }
    byte[] tampered = kms.document();
    tampered[tampered.length - 10] ^= 1;

    for (byte[] bad : new byte[][] {foreign, tampered, new byte[] {1, 2, 3}}) {
      assertThatThrownBy(() -> client.generateDataKey(keyId, CONTEXT, bad))
          .hasMessageContaining("refused the request as invalid (the attestation document may");
    }
    assertThatThrownBy(
            () ->
                client.generateDataKey(
                    "00000000-0000-0000-0000-000000000000", CONTEXT, kms.document()))
        .hasMessageContaining("does not know the key");
  }

  @Test
  void anotherEncryptionContextOrAnotherAgentsBlobIsRefused() throws Exception {
    String keyId = kms.createKey(DevKmsFixture.lockedPolicy(kms.pcr0Hex()));
    byte[] blob = client.generateDataKey(keyId, CONTEXT, kms.document()).ciphertextBlob();

    assertThatThrownBy(
            () -> client.decrypt(keyId, blob, Map.of("tee_name", "other"), kms.document()))
        .hasMessageContaining("refused the ciphertext");
  }

  @Test
  void nobodyCanChangeALockedPolicyAndALockoutNeedsTheBypass() throws Exception {
    String locked = DevKmsFixture.lockedPolicy(kms.pcr0Hex());
    String keyId = kms.createKey(locked);

    assertThatThrownBy(() -> kms.admin.putKeyPolicy(r -> r.keyId(keyId).policy("{}")))
        .isInstanceOfSatisfying(
            KmsException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
    assertThatThrownBy(() -> kms.admin.createKey(r -> r.policy(locked)))
        .isInstanceOf(MalformedPolicyDocumentException.class);
    assertThat(client.keyPolicy(keyId)).isEqualTo(locked.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anUnreachableKmsIsNamedAndTheSecretsStayOutOfTheSettingsText() throws Exception {
    KmsSettings nowhere = settings(URI.create("http://127.0.0.1:9"));
    try (AttestedKms offline = AttestedKms.connect(nowhere)) {
      assertThatThrownBy(() -> offline.describeKey("k"))
          .hasMessage("http://127.0.0.1:9 cannot be reached for DescribeKey");
    }
    assertThat(nowhere.toString())
        .doesNotContain("host-secret-key")
        .doesNotContain("host-session-token");
  }
}
