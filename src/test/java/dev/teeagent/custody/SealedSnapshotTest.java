package dev.teeagent.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SealedSnapshotTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final SealedIdentity AGENT =
      new SealedIdentity("treasury", "0x1111111111111111111111111111111111111111");
  private final byte[] dataKey = bytes(32);
  private final byte[] key = bytes(32);
  private final byte[] state = "{\"variables\":{}}".getBytes(StandardCharsets.UTF_8);

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private byte[] sealed(long counter) throws CustodyException {
    return SealedSnapshot.seal(dataKey, AGENT, counter, key, state, RANDOM);
  }

  @Test
  void aSealedSnapshotUnsealsToItsKeyStateAndCounter() throws Exception {
    UnsealedSnapshot opened = SealedSnapshot.unseal(dataKey, AGENT, sealed(42));

    assertThat(opened.counter()).isEqualTo(42);
    assertThat(opened.privateKey()).isEqualTo(key);
    assertThat(opened.state()).isEqualTo(state);
  }

  @Test
  void sealingTwiceGivesDifferentBlobs() throws Exception {
    assertThat(sealed(1)).isNotEqualTo(sealed(1));
  }

  @Test
  void theKeyNeverAppearsInToString() throws Exception {
    UnsealedSnapshot opened = SealedSnapshot.unseal(dataKey, AGENT, sealed(7));

    assertThat(opened.toString())
        .contains("[REDACTED]")
        .doesNotContain(HexFormat.of().formatHex(key))
        .doesNotContain(Arrays.toString(key));
  }

  @Test
  void everyTruncationIsRefused() throws Exception {
    byte[] blob = sealed(3);
    for (int length = 0; length < blob.length; length++) {
      byte[] cut = Arrays.copyOf(blob, length);
      assertThatThrownBy(() -> SealedSnapshot.unseal(dataKey, AGENT, cut))
          .as("cut to %d bytes", length)
          .isInstanceOf(CustodyException.class)
          .hasMessageStartingWith("the sealed snapshot")
          .hasMessageNotContaining("Exception");
    }
  }

  @Test
  void everyBitFlipAnywhereIsRefused() throws Exception {
    byte[] blob = sealed(3);
    for (int i = 0; i < blob.length; i++) {
      for (int bit = 0; bit < 8; bit += 3) {
        byte[] changed = blob.clone();
        changed[i] ^= (byte) (1 << bit);
        assertThatThrownBy(() -> SealedSnapshot.unseal(dataKey, AGENT, changed))
            .as("byte %d bit %d", i, bit)
            .isInstanceOf(CustodyException.class)
            .hasMessageNotContaining("Exception");
      }
    }
  }

  @Test
  void aChangedCounterFailsAuthentication() throws Exception {
    byte[] blob = sealed(5);
    blob[9 + 7] = 4; // the counter's last byte: 5 → 4, a rollback attempt by relabelling

    assertThatThrownBy(() -> SealedSnapshot.unseal(dataKey, AGENT, blob))
        .hasMessage(
            "the sealed snapshot fails authentication: it was altered, cut short, or sealed under"
                + " another data key");
  }

  @Test
  void anotherAgentsSnapshotIsRefusedNamingBoth() throws Exception {
    byte[] blob = sealed(1);
    SealedIdentity other =
        new SealedIdentity("treasury", "0x2222222222222222222222222222222222222222");

    assertThatThrownBy(() -> SealedSnapshot.unseal(dataKey, other, blob))
        .hasMessage(
            "the sealed snapshot belongs to agent 'treasury' of operator"
                + " 0x1111111111111111111111111111111111111111, not to this agent 'treasury' of"
                + " operator 0x2222222222222222222222222222222222222222");
  }

  @Test
  void anotherFormatVersionIsRefusedByNumber() throws Exception {
    byte[] blob = sealed(1);
    blob[8] = 2;

    assertThatThrownBy(() -> SealedSnapshot.unseal(dataKey, AGENT, blob))
        .hasMessage("the sealed snapshot is format version 2; this agent reads version 1");
  }

  @Test
  void anotherDataKeyOrTrailingBytesFailAuthentication() throws Exception {
    byte[] blob = sealed(1);
    byte[] longer = Arrays.copyOf(blob, blob.length + 1);

    assertThatThrownBy(() -> SealedSnapshot.unseal(bytes(32), AGENT, blob))
        .hasMessageStartingWith("the sealed snapshot fails authentication");
    assertThatThrownBy(() -> SealedSnapshot.unseal(dataKey, AGENT, longer))
        .hasMessageStartingWith("the sealed snapshot fails authentication");
  }

  @Test
  void somethingElseEntirelyIsNotASnapshot() {
    assertThatThrownBy(
            () ->
                SealedSnapshot.unseal(
                    dataKey, AGENT, "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8)))
        .hasMessage("this is not a TEE Agent sealed snapshot");
  }

  @Test
  void badArgumentsAreRefusedBeforeAnyCrypto() {
    assertThatThrownBy(() -> SealedSnapshot.seal(new byte[16], AGENT, 1, key, state, RANDOM))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the data key must be 32 bytes (AES-256)");
    assertThatThrownBy(() -> SealedSnapshot.seal(dataKey, AGENT, -1, key, state, RANDOM))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SealedIdentity("", "0x1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SealedIdentity("a\nb", "0x1"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
