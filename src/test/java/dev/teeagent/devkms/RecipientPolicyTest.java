package dev.teeagent.devkms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.custody.KeyPolicy;
import dev.teeagent.verifier.AttestationDocument;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** How dev-kms evaluates a key policy for one action, with or without a verified document. */
class RecipientPolicyTest {
  private static final byte[] PCR0 = filled(0xab);
  private static final byte[] PCR8 = filled(0x8c);
  private static final String P0 = HexFormat.of().formatHex(PCR0);
  private static final String P8 = HexFormat.of().formatHex(PCR8);
  private static final Optional<AttestationDocument> DOC = Optional.of(document());
  private static final Optional<AttestationDocument> NONE = Optional.empty();

  private static byte[] filled(int value) {
    byte[] b = new byte[48];
    java.util.Arrays.fill(b, (byte) value);
    return b;
  }

  private static AttestationDocument document() {
    TreeMap<Integer, byte[]> pcrs = new TreeMap<>();
    pcrs.put(0, PCR0);
    pcrs.put(8, PCR8);
    return new AttestationDocument(
        "i-1-enc1",
        "SHA384",
        1,
        pcrs,
        new byte[0],
        List.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  private static String allow(String action, String condition) {
    return statement("Allow", action, condition);
  }

  private static String statement(String effect, String action, String condition) {
    return "{\"Effect\":\"%s\",\"Action\":\"%s\"%s}"
        .formatted(effect, action, condition.isEmpty() ? "" : ",\"Condition\":" + condition);
  }

  private static String cond(String op, String key, String value) {
    return "{\"%s\":{\"kms:RecipientAttestation:%s\":\"%s\"}}".formatted(op, key, value);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("no statement covers it", allow("kms:Encrypt", ""), DOC, false),
        Arguments.of("unconditional allow", allow("kms:*", ""), NONE, true),
        Arguments.of(
            "pinned, matching document",
            allow("kms:Decrypt", cond("StringEqualsIgnoreCase", "ImageSha384", P0.toUpperCase())),
            DOC,
            true),
        Arguments.of(
            "pinned, no document",
            allow("kms:Decrypt", cond("StringEquals", "ImageSha384", P0)),
            NONE,
            false),
        Arguments.of(
            "pinned to another image",
            allow("kms:Decrypt", cond("StringEquals", "PCR0", P8)),
            DOC,
            false),
        Arguments.of(
            "StringEquals is case-sensitive",
            allow("kms:Decrypt", cond("StringEquals", "PCR0", P0.toUpperCase())),
            DOC,
            false),
        Arguments.of(
            "PCR8 of the document",
            allow("kms:Decrypt", cond("StringEquals", "PCR8", P8)),
            DOC,
            true),
        Arguments.of(
            "a PCR the document lacks",
            allow("kms:Decrypt", cond("StringEquals", "PCR3", P0)),
            DOC,
            false),
        Arguments.of(
            "IfExists without a document lets it through",
            allow("kms:Decrypt", cond("StringEqualsIfExists", "PCR0", P8)),
            NONE,
            true),
        Arguments.of(
            "IfExists with a document still compares",
            allow("kms:Decrypt", cond("StringEqualsIfExists", "PCR0", P8)),
            DOC,
            false),
        Arguments.of(
            "another operator fails closed",
            allow("kms:Decrypt", cond("StringLike", "PCR0", "*")),
            DOC,
            false),
        Arguments.of(
            "other condition keys are not evaluated",
            allow("kms:Decrypt", "{\"StringEquals\":{\"aws:SourceVpc\":\"vpc-1\"}}"),
            NONE,
            true),
        Arguments.of(
            "an applicable Deny wins",
            allow("kms:*", "") + "," + statement("Deny", "kms:Decrypt", ""),
            DOC,
            false),
        Arguments.of(
            "a Deny whose condition fails does not apply",
            allow("kms:*", "")
                + ","
                + statement("Deny", "kms:Decrypt", cond("StringEquals", "PCR0", P8)),
            DOC,
            true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decryptIsAllowedExactlyAsKmsWouldForTheDocumentsMeasurements(
      String name, String statements, Optional<AttestationDocument> document, boolean allowed)
      throws Exception {
    KeyPolicy policy =
        KeyPolicy.parse(("{\"Statement\":[" + statements + "]}").getBytes(StandardCharsets.UTF_8));

    assertThat(RecipientPolicy.allows(policy, "kms:Decrypt", document)).isEqualTo(allowed);
  }
}
