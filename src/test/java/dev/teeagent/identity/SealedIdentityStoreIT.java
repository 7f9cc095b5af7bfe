package dev.teeagent.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeagent.custody.AttestedKms;
import dev.teeagent.custody.CustodyException;
import dev.teeagent.custody.KmsSettings;
import dev.teeagent.custody.SealedIdentity;
import dev.teeagent.custody.UnsealedSnapshot;
import dev.teeagent.nsm.SimulatedNsm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state folder's sealed identity through the dev-kms stand-in and a simulated NSM. */
class SealedIdentityStoreIT {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final SealedIdentity AGENT = new SealedIdentity("treasury", "0x1111");
  private static final byte[] KEY = new byte[32];

  @TempDir Path kmsDir;
  @TempDir Path stateDir;
  private SimulatedNsm nsm;
  private KmsStandIn server;
  private AttestedKms client;

  static {
    Arrays.fill(KEY, (byte) 7);
  }

  @BeforeEach
  void start() throws Exception {
    nsm = SimulatedNsm.start(Clock.systemUTC(), RANDOM);
    server = new KmsStandIn(kmsDir, nsm.rootCertificate());
    client =
        AttestedKms.connect(
            new KmsSettings(
                "us-east-1",
                Optional.of(server.endpoint()),
                "AKIDHOSTROLE",
                "host-secret",
                Optional.empty(),
                Duration.ofSeconds(30)));
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
    nsm.close();
  }

  private SealedIdentityStore.Kms lockedKey() throws Exception {
    return new SealedIdentityStore.Kms(
        client, server.createKey(HexFormat.of().formatHex(nsm.describePcr(0).data())));
  }

  private SealedIdentityStore.Opened open(SealedIdentityStore.Kms kms, SealedIdentity who)
      throws CustodyException {
    return SealedIdentityStore.open(
        new LocalSnapshotFolder(stateDir), who, kms, nsm, false, RANDOM);
  }

  @Test
  void aFirstBootSealsAndEveryLaterBootUnsealsTheSameKeyAndLatestState() throws Exception {
    SealedIdentityStore.Kms kms = lockedKey();
    SealedIdentityStore.Opened first = open(kms, AGENT);
    assertThat(first.snapshot()).isEmpty();
    assertThat(first.store().store(KEY, "one".getBytes())).isEqualTo(1);
    assertThat(first.store().store(KEY, "two".getBytes())).isEqualTo(2);

    UnsealedSnapshot again = open(kms, AGENT).snapshot().orElseThrow();

    assertThat(again.privateKey()).isEqualTo(KEY);
    assertThat(again.state()).isEqualTo("two".getBytes());
    assertThat(again.counter()).isEqualTo(2);
  }

  @Test
  void aTamperedTruncatedOrOtherAgentsSnapshotIsRefused() throws Exception {
    SealedIdentityStore.Kms kms = lockedKey();
    open(kms, AGENT).store().store(KEY, "state".getBytes());
    Path blob = stateDir.resolve(SealedIdentityStore.SNAPSHOT_FILE);
    byte[] good = Files.readAllBytes(blob);

    byte[] tampered = good.clone();
    tampered[tampered.length - 20] ^= 1;
    Files.write(blob, tampered);
    assertThatThrownBy(() -> open(kms, AGENT)).hasMessageContaining("fails authentication");

    Files.write(blob, Arrays.copyOf(good, good.length - 30));
    assertThatThrownBy(() -> open(kms, AGENT)).isInstanceOf(CustodyException.class);

    Files.write(blob, good);
    assertThatThrownBy(() -> open(kms, new SealedIdentity("other", "0x1111")))
        .isInstanceOf(CustodyException.class)
        .hasMessageContaining("refused the ciphertext");
  }

  @Test
  void aKeyWhosePolicyAdmitsOtherCodeRefusesTheDataKey() throws Exception {
    SealedIdentityStore.Kms otherCode =
        new SealedIdentityStore.Kms(client, server.createKey("ab".repeat(48)));

    assertThatThrownBy(() -> open(otherCode, AGENT))
        .isInstanceOf(CustodyException.class)
        .hasMessageContaining("refused access");
    assertThat(stateDir.resolve(SealedIdentityStore.SNAPSHOT_FILE)).doesNotExist();
  }

  @Test
  void halfAnIdentityIsRefusedUnlessANewOneIsStartedOnPurpose() throws Exception {
    SealedIdentityStore.Kms kms = lockedKey();
    open(kms, AGENT).store().store(KEY, "state".getBytes());
    Files.delete(stateDir.resolve(SealedIdentityStore.DATA_KEY_FILE));

    assertThatThrownBy(() -> open(kms, AGENT)).hasMessageContaining("--new-identity");
    SealedIdentityStore.Opened fresh =
        SealedIdentityStore.open(new LocalSnapshotFolder(stateDir), AGENT, kms, nsm, true, RANDOM);

    assertThat(fresh.snapshot()).isEmpty();
    assertThat(stateDir.resolve(SealedIdentityStore.SNAPSHOT_FILE + ".replaced")).exists();
  }
}
