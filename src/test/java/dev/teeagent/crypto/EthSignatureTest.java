package dev.teeagent.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.web3j.utils.Numeric;

class EthSignatureTest {
  private static final String HELLO_SIGNATURE =
      "0xf16ea9a3478698f695fd1401bfe27e9e4a7e8e3da94aa72b021125e31fa899cc573c48ea3fe1d4ab61a9db10c19032026e3ed2dbccba5a178235ac27f94504311c";

  @Test
  void parsesAndPrintsTheSameBytes() {
    assertThat(EthSignature.parse(HELLO_SIGNATURE).toHex()).isEqualTo(HELLO_SIGNATURE);
  }

  @Test
  void acceptsRecoveryIdsZeroAndOne() {
    String withZero = HELLO_SIGNATURE.substring(0, 130) + "01";
    assertThat(EthSignature.parse(withZero).v()).isEqualTo(28);
  }

  @Test
  void rejectsHighS() {
    EthSignature low = EthSignature.parse(HELLO_SIGNATURE);
    BigInteger highS = Secp256k1.N.subtract(low.s());
    String high =
        "0x"
            + Numeric.toHexStringNoPrefixZeroPadded(low.r(), 64)
            + Numeric.toHexStringNoPrefixZeroPadded(highS, 64)
            + "1b";
    assertThatThrownBy(() -> EthSignature.parse(high)).hasMessageContaining("high s");
  }

  @Test
  void rejectsWrongLengthsAndV() {
    assertThatThrownBy(() -> EthSignature.parse("0x1234"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EthSignature.parse(HELLO_SIGNATURE.substring(0, 130) + "25"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void recoveryOfATamperedMessageGivesAnotherAddress() {
    EthSignature signature = EthSignature.parse(HELLO_SIGNATURE);
    assertThat(PersonalMessage.recoverSigner("hello".getBytes(StandardCharsets.UTF_8), signature))
        .contains(Address.parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"));
    assertThat(PersonalMessage.recoverSigner("hellO".getBytes(StandardCharsets.UTF_8), signature))
        .isNotEqualTo(
            java.util.Optional.of(Address.parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")));
  }
}
