package dev.teeagent.devkms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.custody.RecipientEnvelope;
import dev.teeagent.testing.NodeScript;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dev-kms driven by AWS's JavaScript client (npm @aws-sdk/client-kms), every operation the agent
 * uses (ListGrants included, paged) and CreateGrant, which a locked key refuses.
 */
class DevKmsAwsJsClientIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void awsJavaScriptClientRunsEveryOperationAndGetsKmsShapedAnswersAndRefusals() throws Exception {
    try (DevKmsFixture kms = new DevKmsFixture(dir)) {
      String locked = DevKmsFixture.lockedPolicy(kms.pcr0Hex());
      String open =
          "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
      String input =
          JSON.writeValueAsString(
              Map.of(
                  "endpoint",
                  kms.endpoint().toString(),
                  "locked_policy",
                  locked,
                  "open_policy",
                  open,
                  "document",
                  Base64.getEncoder().encodeToString(kms.document())));

      JsonNode out = JSON.readTree(NodeScript.run("kms-client.mjs", input));

      assertThat(out.at("/open_key/arn").asText())
          .isEqualTo("arn:aws:kms:us-east-1:111122223333:key/" + out.at("/open_key/id").asText());
      assertThat(out.at("/open_key/origin").asText()).isEqualTo("AWS_KMS");
      assertThat(out.at("/open_key/state").asText()).isEqualTo("Enabled");
      assertThat(out.at("/describe/id").asText()).isEqualTo(out.at("/open_key/id").asText());
      assertThat(out.at("/describe/spec").asText()).isEqualTo("SYMMETRIC_DEFAULT");
      assertThat(Base64.getDecoder().decode(out.at("/plain/generated").asText())).hasSize(32);
      assertThat(out.at("/plain/decrypted")).isEqualTo(out.at("/plain/generated"));
      assertThat(out.at("/plain/key").asText()).isEqualTo(out.at("/open_key/arn").asText());
      assertThat(out.at("/wrong_context").asText()).isEqualTo("InvalidCiphertextException 400");
      assertThat(out.at("/open_policy").asText()).isEqualTo(open);
      assertThat(out.at("/locked_policy").asText()).isEqualTo(locked);

      assertThat(out.at("/recipient_generate/plaintext").isNull()).isTrue();
      assertThat(out.at("/recipient_decrypt/plaintext").isNull()).isTrue();
      byte[] generated = openCms(kms, out.at("/recipient_generate/cms").asText());
      byte[] decrypted = openCms(kms, out.at("/recipient_decrypt/cms").asText());
      assertThat(generated).hasSize(32).isEqualTo(decrypted);

      assertThat(out.at("/locked_decrypt_without_recipient").asText())
          .isEqualTo("AccessDeniedException 400");
      assertThat(out.at("/locked_put_policy").asText()).isEqualTo("AccessDeniedException 400");
      assertThat(out.at("/grants_before/grants")).isEmpty();
      assertThat(out.at("/grants_before/truncated").asBoolean()).isFalse();
      assertThat(out.at("/grant/id").asText()).matches("[0-9a-f]{64}");
      assertThat(out.at("/grants_after/grants")).hasSize(1);
      assertThat(out.at("/grants_after/grants/0/id")).isEqualTo(out.at("/grant/id"));
      assertThat(out.at("/grants_after/grants/0/key")).isEqualTo(out.at("/open_key/arn"));
      assertThat(out.at("/grants_after/grants/0/grantee").asText())
          .isEqualTo("arn:aws:iam::111122223333:role/other");
      assertThat(out.at("/grants_after/grants/0/operations").toString()).isEqualTo("[\"Decrypt\"]");
      assertThat(out.at("/grants_after/truncated").asBoolean()).isTrue();
      assertThat(out.at("/grants_after/next").asText()).isEqualTo("1");
      assertThat(out.at("/bad_grant").asText()).isEqualTo("ValidationException 400");
      assertThat(out.at("/locked_grants/grants")).isEmpty();
      assertThat(out.at("/locked_create_grant").asText()).isEqualTo("AccessDeniedException 400");
      assertThat(out.at("/unknown_key").asText()).isEqualTo("NotFoundException 400");
      assertThat(out.at("/bad_document").asText()).isEqualTo("ValidationException 400");
    }
  }

  private static byte[] openCms(DevKmsFixture kms, String base64) throws Exception {
    byte[] cms = Base64.getDecoder().decode(base64);
    assertThat(cms[1]).as("BER indefinite length").isEqualTo((byte) 0x80);
    return RecipientEnvelope.open(cms, kms.enclaveKey.getPrivate());
  }
}
