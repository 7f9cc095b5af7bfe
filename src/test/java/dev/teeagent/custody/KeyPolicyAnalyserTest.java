package dev.teeagent.custody;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.testing.NodeScript;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KeyPolicyAnalyserTest {
  static final byte[] PCR0 = new byte[48];
  static final String M;
  static final String OTHER = "cd".repeat(48);
  static final KeyDescription KEY =
      new KeyDescription(
          "1234abcd-12ab-34cd-56ef-1234567890ab",
          "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
          "AWS_KMS",
          "SYMMETRIC_DEFAULT",
          "Enabled",
          false);

  static {
    java.util.Arrays.fill(PCR0, (byte) 0xab);
    M = HexFormat.of().formatHex(PCR0);
  }

  private static final String READ =
      """
      {"Sid":"read","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},
       "Action":["kms:DescribeKey","kms:GetKeyPolicy"],"Resource":"*"}""";

  static String secrets(String actions, String condition) {
    return """
        {"Sid":"secrets","Effect":"Allow","Principal":{"AWS":"*"},"Action":%s,"Resource":"*"%s}"""
        .formatted(actions, condition.isEmpty() ? "" : ",\"Condition\":" + condition);
  }

  static String pinned(String operator, String key, String values) {
    return "{\"%s\":{\"%s\":%s}}".formatted(operator, key, values);
  }

  static String policy(String... statements) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
  }

  static final String IMAGE = "kms:RecipientAttestation:ImageSha384";
  static final String DECRYPT = "[\"kms:Decrypt\",\"kms:GenerateDataKey\"]";
  static final String LOCK = pinned("StringEqualsIgnoreCase", IMAGE, "\"" + M + "\"");

  static Stream<Arguments> policies() {
    return Stream.of(
        Arguments.of("read + pinned secrets", policy(READ, secrets(DECRYPT, LOCK)), ""),
        Arguments.of(
            "PCR0 key, StringEquals, lowercase key name, single-element list",
            policy(
                secrets(
                    DECRYPT,
                    pinned("StringEquals", "kms:recipientattestation:pcr0", "[\"" + M + "\"]"))),
            ""),
        Arguments.of(
            "GenerateDataKey* wildcard, pinned",
            policy(secrets("\"kms:GenerateDataKey*\"", LOCK)),
            ""),
        Arguments.of(
            "a lone Statement object, pinned",
            "{\"Statement\":" + secrets(DECRYPT, LOCK) + "}",
            ""),
        Arguments.of(
            "Encrypt to anyone is harmless",
            policy(secrets("[\"kms:Encrypt\",\"kms:DescribeKey\"]", ""), secrets(DECRYPT, LOCK)),
            ""),
        Arguments.of(
            "AWS's default policy",
            policy(
                "{\"Sid\":\"Enable IAM User Permissions\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}"),
            "statement 0 (Enable IAM User Permissions) allows kms:PutKeyPolicy, kms:CreateGrant"),
        Arguments.of(
            "kms:* even when pinned",
            policy(secrets("\"kms:*\"", LOCK)),
            "statement 0 (secrets) allows kms:PutKeyPolicy, kms:CreateGrant, kms:ImportKeyMaterial,"
                + " kms:DeleteImportedKeyMaterial, kms:ScheduleKeyDeletion, kms:ReplicateKey"),
        Arguments.of("bare * action", policy(secrets("\"*\"", LOCK)), "allows kms:PutKeyPolicy"),
        Arguments.of(
            "case-insensitive action names",
            policy(secrets("\"KMS:putkeypolicy\"", "")),
            "statement 0 (secrets) allows kms:PutKeyPolicy"),
        Arguments.of(
            "? wildcard", policy(secrets("\"kms:CreateGran?\"", "")), "allows kms:CreateGrant"),
        Arguments.of(
            "NotAction allows everything else",
            policy(secrets("", LOCK).replace("\"Action\":,", "\"NotAction\":[\"kms:Decrypt\"],")),
            "allows kms:PutKeyPolicy"),
        Arguments.of(
            "Decrypt without any condition",
            policy(secrets(DECRYPT, "")),
            "statement 0 (secrets) allows kms:Decrypt, kms:GenerateDataKey with no condition on"
                + " the enclave's measurement"),
        Arguments.of(
            "ReEncrypt* without condition",
            policy(secrets("\"kms:ReEncrypt*\"", "")),
            "allows kms:ReEncryptFrom, kms:ReEncryptTo with no condition"),
        Arguments.of(
            "IfExists lets requests without Recipient through",
            policy(
                secrets(DECRYPT, pinned("StringEqualsIgnoreCaseIfExists", IMAGE, "\"" + M + "\""))),
            "tested by StringEqualsIgnoreCaseIfExists"),
        Arguments.of(
            "ForAnyValue set operator",
            policy(secrets(DECRYPT, pinned("ForAnyValue:StringEquals", IMAGE, "\"" + M + "\""))),
            "tested by ForAnyValue:StringEquals"),
        Arguments.of(
            "StringLike with a wildcard value",
            policy(secrets(DECRYPT, pinned("StringLike", IMAGE, "\"*\""))),
            "tested by StringLike"),
        Arguments.of(
            "a second image allowed",
            policy(
                secrets(
                    DECRYPT,
                    pinned("StringEqualsIgnoreCase", IMAGE, "[\"" + M + "\",\"" + OTHER + "\"]"))),
            "to another measurement as well (" + OTHER + ")"),
        Arguments.of(
            "another image only",
            policy(secrets(DECRYPT, pinned("StringEqualsIgnoreCase", IMAGE, "\"" + OTHER + "\""))),
            "to another measurement as well"),
        Arguments.of(
            "StringEquals is case-sensitive: upper-case hex never matches KMS's",
            policy(secrets(DECRYPT, pinned("StringEquals", IMAGE, "\"" + M.toUpperCase() + "\""))),
            "to another measurement as well"),
        Arguments.of(
            "an empty value list pins nothing",
            policy(secrets(DECRYPT, pinned("StringEquals", IMAGE, "[]"))),
            "with no condition on the enclave's measurement"),
        Arguments.of(
            "a condition on something else",
            policy(secrets(DECRYPT, pinned("StringEquals", "aws:SourceVpc", "\"vpc-1\""))),
            "with no condition on the enclave's measurement"),
        Arguments.of(
            "a Deny does not make kms:* safe",
            policy(
                "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":[\"kms:PutKeyPolicy\",\"kms:CreateGrant\",\"kms:ImportKeyMaterial\",\"kms:DeleteImportedKeyMaterial\",\"kms:ScheduleKeyDeletion\",\"kms:ReplicateKey\"],\"Resource\":\"*\"}",
                secrets("\"kms:*\"", LOCK)),
            "statement 1 (secrets) allows kms:PutKeyPolicy"),
        Arguments.of(
            "CreateGrant, even pinned to the image",
            policy(secrets("[\"kms:CreateGrant\"]", LOCK)),
            "allows kms:CreateGrant"),
        Arguments.of(
            "both Action and NotAction",
            policy(
                secrets(DECRYPT, LOCK)
                    .replace("\"Resource\"", "\"NotAction\":\"kms:Sign\",\"Resource\"")),
            "must have exactly one of Action and NotAction"),
        Arguments.of(
            "lower-case Effect is not IAM's",
            policy(secrets(DECRYPT, LOCK).replace("\"Allow\"", "\"allow\"")),
            "has an Effect other than Allow or Deny"),
        Arguments.of(
            "duplicate keys",
            "{\"Statement\":[],\"Statement\":[" + secrets(DECRYPT, "") + "]}",
            "the key policy is not valid JSON (or has a duplicate key)"),
        Arguments.of("not JSON", "Version: 2012", "the key policy is not valid JSON"),
        Arguments.of("no statements", "{\"Version\":\"2012-10-17\"}", "no Statement list"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void aPolicyIsLockedExactlyWhenItPinsTheImageAndNobodyCanUnlockIt(
      String name, String policy, String reason) {
    CustodyStatement statement =
        KeyPolicyAnalyser.analyse(
            KEY, policy.getBytes(StandardCharsets.UTF_8), KeyGrants.none(), PCR0);

    if (reason.isEmpty()) {
      assertThat(statement.reasons()).isEmpty();
      assertThat(statement.locked()).isTrue();
    } else {
      assertThat(statement.locked()).isFalse();
      assertThat(String.join("\n", statement.reasons())).contains(reason);
    }
  }

  @Test
  void theStatementNamesTheKeyOriginAndTheHashOfTheExactPolicyBytes() {
    String locked = policy(READ, secrets(DECRYPT, LOCK));
    CustodyStatement statement =
        KeyPolicyAnalyser.analyse(
            KEY, locked.getBytes(StandardCharsets.UTF_8), KeyGrants.none(), PCR0);
    CustodyStatement reformatted =
        KeyPolicyAnalyser.analyse(
            KEY, (locked + "\n").getBytes(StandardCharsets.UTF_8), KeyGrants.none(), PCR0);

    assertThat(statement.keyId()).isEqualTo(KEY.keyId());
    assertThat(statement.origin()).isEqualTo("AWS_KMS");
    assertThat(statement.policySha256())
        .isEqualTo(KeyPolicyAnalyser.sha256(locked.getBytes(StandardCharsets.UTF_8)))
        .hasSize(64)
        .isNotEqualTo(reformatted.policySha256());
    assertThat(reformatted.locked()).isTrue();
  }

  @Test
  void importedMultiRegionOrDisabledKeysAreNotLockedWhateverThePolicy() {
    byte[] locked = policy(secrets(DECRYPT, LOCK)).getBytes(StandardCharsets.UTF_8);
    KeyDescription imported =
        new KeyDescription("k", "arn", "EXTERNAL", "SYMMETRIC_DEFAULT", "PendingDeletion", true);

    assertThat(KeyPolicyAnalyser.analyse(imported, locked, KeyGrants.none(), PCR0).reasons())
        .containsExactly(
            "the key's material has origin EXTERNAL, not AWS_KMS: someone outside KMS holds or"
                + " controls it",
            "the key is multi-Region: each replica has its own policy, not checked here",
            "the key's state is PendingDeletion, not Enabled");
  }

  @Test
  void theExamplePolicyInTheCustodyDocIsLockedOnceItsPcr0IsFilledIn() throws Exception {
    String doc = Files.readString(NodeScript.projectDir().resolve(Path.of("docs", "custody.md")));
    String json = doc.substring(doc.indexOf("```json\n") + 8);
    json = json.substring(0, json.indexOf("```"));
    CustodyStatement statement =
        KeyPolicyAnalyser.analyse(
            KEY,
            json.replace("PCR0_HEX", M).getBytes(StandardCharsets.UTF_8),
            KeyGrants.none(),
            PCR0);

    assertThat(statement.reasons()).isEmpty();
    assertThat(
            KeyPolicyAnalyser.analyse(
                    KEY,
                    json.replace("PCR0_HEX", OTHER).getBytes(StandardCharsets.UTF_8),
                    KeyGrants.none(),
                    PCR0)
                .locked())
        .isFalse();
    assertThat(List.of(doc.split("\n"))).anyMatch(line -> line.contains("PCR0_HEX"));
  }

  @Test
  void aKeyWithAnyGrantIsNotLockedHoweverLockedItsPolicy() {
    byte[] locked = policy(READ, secrets(DECRYPT, LOCK)).getBytes(StandardCharsets.UTF_8);

    CustodyStatement one =
        KeyPolicyAnalyser.analyse(KEY, locked, new KeyGrants(List.of("g-1"), false), PCR0);
    CustodyStatement more =
        KeyPolicyAnalyser.analyse(KEY, locked, new KeyGrants(List.of("g-1", "g-2"), true), PCR0);

    assertThat(KeyPolicyAnalyser.analyse(KEY, locked, KeyGrants.none(), PCR0).locked()).isTrue();
    assertThat(one.locked()).isFalse();
    assertThat(one.reasons())
        .containsExactly(
            "the key has grant g-1: a grant gives its grantee operations outside the key policy"
                + " (retire or revoke it)");
    assertThat(more.reasons())
        .singleElement()
        .asString()
        .startsWith("the key has grants g-1, g-2 and more: ");
  }
}
