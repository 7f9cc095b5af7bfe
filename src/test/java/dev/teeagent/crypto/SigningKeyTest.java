package dev.teeagent.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

class SigningKeyTest {
  // anvil's account #0; vectors below were produced by ethers v6 Wallet.signMessageSync.
  private static final String KEY =
      "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
  private static final SigningKey SIGNING_KEY = SigningKey.fromPrivateKeyHex(KEY);

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "hello|0xf16ea9a3478698f695fd1401bfe27e9e4a7e8e3da94aa72b021125e31fa899cc573c48ea3fe1d4ab61a9db10c19032026e3ed2dbccba5a178235ac27f94504311c",
        "''|0xc1977b761f1dd36c29795783460d241885c8e7f9d962dbe7bba2753fd94e89b444a1cd9ed855dd09afa3b73f7c2bd097ec9abc2d2775d737505a02d3f0cafa591b",
        "héllo wörld ✓ 🚀|0xcc415f61384f416196233a99a9b731a7182edef55719dae88cbc7fb75ef0a319667c0bad261e3a7eb613a4696fd17c2578c4f51eaaa6071860f67bac806aa0971c",
        "{\"a\":1e+21,\"b\":[1,2.5,{\"é\":\"\\u0000\\n\"}],\"c\":\"x\"}|0x0427f16fb4acd0b54fa55eb3bff1f129830524163c7f152addfa91cbf171aafd476ea7c034a6fc427c41f637fe5acaf67e43cac8c13f28066aa688ccca8b6d1e1b"
      })
  void personalSignMatchesEthersVectors(String message, String expected) {
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    assertThat(SIGNING_KEY.signPersonalMessage(bytes).toHex()).isEqualTo(expected);
  }

  @Test
  void addressAndPublicKeyMatchEthers() {
    assertThat(SIGNING_KEY.address().checksummed())
        .isEqualTo("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    assertThat(SIGNING_KEY.publicKeyHex())
        .isEqualTo(
            "0x048318535b54105d4a7aae60c08fc45f9687181b4fdfc625bd1a753fa7397fed753547f11ca8696646f2f3acb08e31016afac23e630c5d11f59f61fef57b0d2aa5");
  }

  @Test
  void signaturesEqualStockWeb3jAndRecoverToTheSigner() {
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      SigningKey key = SigningKey.generate(new SecureRandom());
      byte[] message = new byte[random.nextInt(300)];
      random.nextBytes(message);
      EthSignature ours = key.signPersonalMessage(message);
      assertThat(PersonalMessage.recoverSigner(message, ours)).contains(key.address());
      assertThat(ours.s()).isLessThanOrEqualTo(Secp256k1.HALF_N);
    }
    ECKeyPair pair = ECKeyPair.create(Numeric.toBigInt(KEY));
    for (int i = 0; i < 50; i++) {
      byte[] message = new byte[i * 7];
      random.nextBytes(message);
      Sign.SignatureData web3j = Sign.signPrefixedMessage(message, pair);
      byte[] expected = new byte[65];
      System.arraycopy(web3j.getR(), 0, expected, 0, 32);
      System.arraycopy(web3j.getS(), 0, expected, 32, 32);
      expected[64] = web3j.getV()[0];
      assertThat(SIGNING_KEY.signPersonalMessage(message).toBytes()).isEqualTo(expected);
    }
  }

  @Test
  void toStringNeverShowsThePrivateKey() {
    String text = SIGNING_KEY.toString();
    assertThat(text).contains("[REDACTED]").contains(SIGNING_KEY.address().checksummed());
    assertThat(text.toLowerCase()).doesNotContain(KEY.substring(2));
    assertThat(text).doesNotContain(Numeric.toBigInt(KEY).toString());
  }

  @Test
  void rejectsMalformedPrivateKeys() {
    assertThatThrownBy(() -> SigningKey.fromPrivateKeyHex("0x1234"))
        .hasMessageNotContaining("1234");
    assertThatThrownBy(() -> SigningKey.fromPrivateKeyHex("0x" + "0".repeat(64)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SigningKey.fromPrivateKeyHex("0x" + Secp256k1.N.toString(16)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
