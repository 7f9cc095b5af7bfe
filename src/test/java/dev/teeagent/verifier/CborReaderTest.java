package dev.teeagent.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CborReaderTest {
  private static final HexFormat HEX = HexFormat.of();

  private static Object decode(String hex) throws AttestationVerificationException {
    return CborReader.decode(HEX.parseHex(hex));
  }

  private static void assertMalformed(String hex, String reason) {
    assertThatThrownBy(() -> decode(hex))
        .isInstanceOfSatisfying(
            AttestationVerificationException.class,
            e -> {
              assertThat(e.check()).isEqualTo(Check.SIGNATURE);
              assertThat(e.reason()).startsWith("malformed CBOR").contains(reason);
            });
  }

  @Test
  void decodesTheTypesOfAttestationDocuments() throws Exception {
    assertThat(decode("1b0000018cc251f400")).isEqualTo(1704067200000L);
    assertThat(decode("3822")).isEqualTo(-35L);
    assertThat((byte[]) decode("43010203")).containsExactly(1, 2, 3);
    assertThat(decode("6548656c6c6f")).isEqualTo("Hello");
    assertThat(decode("f6")).isSameAs(CborReader.NULL);
    assertThat(decode("f5")).isEqualTo(true);
    assertThat(decode("820102")).isEqualTo(List.of(1L, 2L));
    assertThat(decode("a20001616102")).isEqualTo(Map.of(0L, 1L, "a", 2L));
  }

  @Test
  void acceptsIndefiniteLengthItemsAsRealDocumentsUseThem() throws Exception {
    assertThat(decode("9f0102ff")).isEqualTo(List.of(1L, 2L));
    assertThat(decode("bf616101ff")).isEqualTo(Map.of("a", 1L));
    assertThat((byte[]) decode("5f4201024103ff")).containsExactly(1, 2, 3);
    assertThat(decode("7f624865626c6cff")).isEqualTo("Hell");
    assertThat(decode("9f9fffbfffff")).isEqualTo(List.of(List.of(), Map.of()));
  }

  @Test
  void refusesTags() {
    assertMalformed("c11a5f5e0f00", "tags");
    assertMalformed("a1616cc243010000", "tags");
    assertMalformed("d24480", "tags");
  }

  @Test
  void refusesFloatsAndSimpleValuesOtherThanBooleansAndNull() {
    assertMalformed("fa3f800000", "float");
    assertMalformed("f7", "simple");
    assertMalformed("f0", "simple");
  }

  @Test
  void refusesDeclaredLengthsBeyondTheInputWithoutAllocatingThem() {
    assertMalformed("5b7fffffffffffffff", "exceeds");
    assertMalformed("5bffffffffffffffff", "exceeds");
    assertMalformed("7a7fffffff41", "exceeds");
    assertMalformed("9b00000000ffffffff00", "exceeds");
    assertMalformed("bb0000000100000000", "exceeds");
  }

  @Test
  void refusesTruncatedInputEverywhere() {
    String complete = "a2616182010261624443424140";
    for (int cut = 0; cut < complete.length() / 2; cut++) {
      String prefix = complete.substring(0, cut * 2);
      assertThatThrownBy(() -> decode(prefix)).isInstanceOf(AttestationVerificationException.class);
    }
    assertMalformed("9f01", "missing break");
  }

  @Test
  void refusesTrailingBytesDuplicateKeysAndOtherKeyTypes() {
    assertMalformed("0100", "trailing");
    assertMalformed("a2616101616102", "duplicate map key \"a\"");
    assertMalformed("a2000100f6", "duplicate map key 0");
    assertMalformed("a1410001", "keys must be integers or text");
  }

  @Test
  void refusesDeepNestingIntegersBeyondLongAndBadUtf8() {
    assertMalformed("81".repeat(40) + "00", "nested deeper");
    assertMalformed("1bffffffffffffffff", "beyond 2^63");
    assertMalformed("62c328", "UTF-8");
    assertMalformed("ff", "unexpected break");
    assertMalformed("1c", "reserved");
    assertMalformed("5f01ff", "chunk of another type");
  }
}
