package dev.teeagent.custody;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The KMS key policy an operator gives the key holding a sealed identity (docs/custody.md): the
 * account may only read the key; the host's role may read it and may ask for its data keys only
 * with a Recipient attestation document whose image measurement is the image's PCR0; no one may
 * change the policy, create grants, import material or delete the key. {@link KeyPolicyAnalyser}
 * judges it locked for that PCR0.
 */
public final class LockedKeyPolicy {
  private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");
  private static final Pattern ROLE_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");
  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws:iam::[0-9]{12}:role/(?:[\\w+=,.@-]+/)*[\\w+=,.@-]{1,64}");
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private LockedKeyPolicy() {}

  /**
   * The policy for the image measured by {@code pcr0} (48 bytes), in AWS account {@code account}
   * (12 digits), whose EC2 host runs under {@code hostRole} (a role name or its ARN).
   *
   * @throws IllegalArgumentException naming what is wrong with an argument
   */
  public static String of(byte[] pcr0, String account, String hostRole) {
    if (pcr0.length != 48) {
      throw new IllegalArgumentException("PCR0 must be 48 bytes (96 hex digits)");
    }
    if (!ACCOUNT.matcher(account).matches()) {
      throw new IllegalArgumentException("the AWS account must be 12 digits");
    }
    String role;
    if (ROLE_ARN.matcher(hostRole).matches()) {
      role = hostRole;
    } else if (ROLE_NAME.matcher(hostRole).matches()) {
      role = "arn:aws:iam::" + account + ":role/" + hostRole;
    } else {
      throw new IllegalArgumentException(
          "the host role must be an IAM role name or arn:aws:iam::ACCOUNT:role/NAME");
    }
    ObjectNode policy = JSON.createObjectNode();
    policy.put("Version", "2012-10-17");
    policy.put("Id", "tee-agent-locked");
    ArrayNode statements = policy.putArray("Statement");
    statements.add(
        statement(
            "AccountMayOnlyReadTheKey",
            "arn:aws:iam::" + account + ":root",
            List.of(
                "kms:DescribeKey", "kms:GetKeyPolicy", "kms:ListGrants", "kms:ListResourceTags")));
    ObjectNode secrets =
        statement(
            "SecretsOnlyToTheEnclaveImage", role, List.of("kms:Decrypt", "kms:GenerateDataKey"));
    secrets
        .putObject("Condition")
        .putObject("StringEqualsIgnoreCase")
        .put("kms:RecipientAttestation:ImageSha384", HexFormat.of().formatHex(pcr0));
    statements.add(secrets);
    statements.add(
        statement(
            "HostMayReadTheKey",
            role,
            List.of("kms:DescribeKey", "kms:GetKeyPolicy", "kms:ListGrants")));
    return policy.toPrettyString() + "\n";
  }

  private static ObjectNode statement(String sid, String principal, List<String> actions) {
    ObjectNode statement = JSON.createObjectNode();
    statement.put("Sid", sid);
    statement.put("Effect", "Allow");
    statement.putObject("Principal").put("AWS", principal);
    actions.forEach(statement.putArray("Action")::add);
    statement.put("Resource", "*");
    return statement;
  }
}
