package dev.teeagent.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class EciesTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final SigningKey key = SigningKey.generate(RANDOM);

  @Test
  void roundTripsAnyLengthIncludingEmpty() throws Exception {
    for (int length : new int[] {0, 1, 15, 16, 17, 1000}) {
      byte[] plaintext = new byte[length];
      RANDOM.nextBytes(plaintext);
      byte[] ciphertext = Ecies.encrypt(key.publicKey(), plaintext, RANDOM);
      assertThat(ciphertext).hasSize(Ecies.OVERHEAD + length);
      assertThat(ciphertext[0]).isEqualTo((byte) 0x04);
      assertThat(Ecies.decrypt(key, ciphertext)).isEqualTo(plaintext);
    }
  }

  @Test
  void refusesEveryFlippedBitAndAnotherKey() {
    byte[] ciphertext = Ecies.encrypt(key.publicKey(), "secret".getBytes(), RANDOM);
    for (int i = 0; i < ciphertext.length; i++) {
      byte[] tampered = ciphertext.clone();
      tampered[i] ^= 0x01;
      assertThatThrownBy(() -> Ecies.decrypt(key, tampered))
          .isInstanceOf(Ecies.InvalidCiphertext.class);
    }
    assertThatThrownBy(() -> Ecies.decrypt(SigningKey.generate(RANDOM), ciphertext))
        .isInstanceOf(Ecies.InvalidCiphertext.class);
  }

  @Test
  void refusesShortInputsAndOffCurveOrCompressedEphemeralKeys() {
    assertThatThrownBy(() -> Ecies.decrypt(key, new byte[Ecies.OVERHEAD - 1]))
        .isInstanceOf(Ecies.InvalidCiphertext.class);
    byte[] offCurve = Ecies.encrypt(key.publicKey(), "x".getBytes(), RANDOM);
    offCurve[64] ^= 0x01; // y no longer matches x
    assertThatThrownBy(() -> Ecies.decrypt(key, offCurve))
        .isInstanceOf(Ecies.InvalidCiphertext.class)
        .hasMessageContaining("point");
    byte[] compressed = Ecies.encrypt(key.publicKey(), "x".getBytes(), RANDOM);
    compressed[0] = 0x02;
    assertThatThrownBy(() -> Ecies.decrypt(key, compressed))
        .isInstanceOf(Ecies.InvalidCiphertext.class);
  }
}
