package dev.teeagent.nsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Request bytes computed by hand from RFC 8949 and nsm-api's serde encoding. */
class NsmMessagesTest {
  private static final HexFormat HEX = HexFormat.of();

  // Text heads: 0x60 + length. "GetRandom" is 9 bytes (0x69), "DescribeNSM" 11 (0x6b).
  private static final String GET_RANDOM = "69" + ascii("GetRandom");
  private static final String DESCRIBE_NSM = "6b" + ascii("DescribeNSM");

  @Test
  void getRandomIsTheBareTextGetRandom() {
    assertThat(HEX.formatHex(NsmMessages.getRandom())).isEqualTo(GET_RANDOM);
  }

  @Test
  void describeNsmIsTheBareTextDescribeNsm() {
    assertThat(HEX.formatHex(NsmMessages.describeNsm())).isEqualTo(DESCRIBE_NSM);
  }

  @Test
  void describePcrIsAOneEntryMapWithTheIndex() {
    // {"DescribePCR": {"index": 3}}: a1, text(11), a1, text(5) "index", uint 3
    assertThat(HEX.formatHex(NsmMessages.describePcr(3)))
        .isEqualTo("a1" + "6b" + ascii("DescribePCR") + "a1" + "65" + ascii("index") + "03");
    // 300 needs the two-byte uint head 0x19 0x012c.
    assertThat(HEX.formatHex(NsmMessages.describePcr(300)))
        .endsWith("65" + ascii("index") + "19012c");
  }

  @Test
  void attestationCarriesItsThreeFieldsInOrderWithNullForAbsentOnes() throws Exception {
    byte[] encoded = NsmMessages.attestation(new byte[] {1, 2}, null, new byte[] {(byte) 0xff});
    assertThat(HEX.formatHex(encoded))
        .isEqualTo(
            "a1"
                + "6b"
                + ascii("Attestation")
                + "a3"
                + ("69" + ascii("user_data") + "420102")
                + ("65" + ascii("nonce") + "f6")
                + ("6a" + ascii("public_key") + "41ff"));
  }

  @Test
  void attestationWithAllFieldsAbsentIsThreeNulls() throws Exception {
    assertThat(HEX.formatHex(NsmMessages.attestation(null, null, null)))
        .isEqualTo(
            "a16b"
                + ascii("Attestation")
                + "a3"
                + "69"
                + ascii("user_data")
                + "f6"
                + "65"
                + ascii("nonce")
                + "f6"
                + "6a"
                + ascii("public_key")
                + "f6");
  }

  @Test
  void aLongFieldUsesTheTwoByteLengthHead() throws Exception {
    byte[] nonce = new byte[300];
    String hex = HEX.formatHex(NsmMessages.attestation(null, nonce, null));
    assertThat(hex).contains("65" + ascii("nonce") + "59012c" + "00".repeat(300));
  }

  @Test
  void fieldsOverTheNsmLimitAreRefusedBeforeSending() {
    assertThatThrownBy(() -> NsmMessages.attestation(new byte[1025], null, null))
        .isInstanceOf(NsmException.ProtocolFailure.class);
  }

  @Test
  void anErrorAnswerBecomesATypedExceptionWithItsCode() {
    // {"Error": "InvalidIndex"}
    byte[] answer = HEX.parseHex("a165" + ascii("Error") + "6c" + ascii("InvalidIndex"));
    assertThatThrownBy(() -> NsmMessages.answer("DescribePCR", answer))
        .isInstanceOfSatisfying(
            NsmException.ErrorAnswer.class,
            e -> assertThat(e.code()).isEqualTo(NsmException.ErrorCode.InvalidIndex));
    byte[] unknown = HEX.parseHex("a165" + ascii("Error") + "63" + ascii("Odd"));
    assertThatThrownBy(() -> NsmMessages.answer("GetRandom", unknown))
        .isInstanceOfSatisfying(
            NsmException.ErrorAnswer.class,
            e -> assertThat(e.code()).isEqualTo(NsmException.ErrorCode.UNKNOWN));
  }

  @Test
  void anAnswerToAnotherRequestOrGarbageIsAProtocolFailure() {
    byte[] otherAnswer =
        HEX.parseHex("a169" + ascii("GetRandom") + "a166" + ascii("random") + "4101");
    assertThatThrownBy(() -> NsmMessages.answer("Attestation", otherAnswer))
        .isInstanceOf(NsmException.ProtocolFailure.class);
    assertThatThrownBy(() -> NsmMessages.answer("Attestation", HEX.parseHex("ff00")))
        .isInstanceOf(NsmException.ProtocolFailure.class);
  }

  @Test
  void aGetRandomAnswerDecodesToItsBytes() throws Exception {
    byte[] answer =
        HEX.parseHex("a169" + ascii("GetRandom") + "a166" + ascii("random") + "43010203");
    var fields = NsmMessages.answer("GetRandom", answer);
    assertThat(NsmMessages.binary("GetRandom", fields, "random")).containsExactly(1, 2, 3);
  }

  @Test
  void bytesAfterAValidAnswerAreRefusedAsAwsClientDoes() throws Exception {
    String valid =
        "a169" + ascii("GetRandom") + "a166" + ascii("random") + "5820" + "07".repeat(32);
    assertThat(NsmMessages.answer("GetRandom", HEX.parseHex(valid))).isNotNull();
    for (String trailer : new String[] {"00", "a0", "f6", "ff"}) {
      assertThatThrownBy(() -> NsmMessages.answer("GetRandom", HEX.parseHex(valid + trailer)))
          .as("trailer %s", trailer)
          .isInstanceOfSatisfying(
              NsmException.ProtocolFailure.class,
              e -> assertThat(e.getMessage()).startsWith("GetRandom: the NSM's answer"));
    }
  }

  @Test
  void anEmptyOrShortGetRandomAnswerIsRefusedAndEnoughEntropyIsKept() throws Exception {
    for (int length : new int[] {0, 1, NsmMessages.MIN_RANDOM_BYTES - 1}) {
      var fields = NsmMessages.answer("GetRandom", randomAnswer(length));
      assertThatThrownBy(() -> NsmMessages.entropy(fields))
          .as("%d bytes", length)
          .isInstanceOfSatisfying(
              NsmException.ProtocolFailure.class,
              e ->
                  assertThat(e.getMessage())
                      .isEqualTo(
                          "GetRandom: the NSM gave "
                              + length
                              + " bytes of entropy, fewer than the 32 needed"));
    }
    for (int length : new int[] {NsmMessages.MIN_RANDOM_BYTES, 256}) {
      assertThat(NsmMessages.entropy(NsmMessages.answer("GetRandom", randomAnswer(length))))
          .hasSize(length);
    }
  }

  private static byte[] randomAnswer(int length) {
    return NsmMessages.encodeAnswer(
        "GetRandom",
        out -> {
          out.writeStartObject(null, 1);
          out.writeFieldName("random");
          out.writeBinary(new byte[length]);
          out.writeEndObject();
        });
  }

  private static String ascii(String text) {
    return HEX.formatHex(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }
}
