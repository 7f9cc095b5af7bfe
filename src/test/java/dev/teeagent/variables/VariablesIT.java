package dev.teeagent.variables;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teeagent.crypto.Keccak;
import dev.teeagent.testing.StartedAgent;
import dev.teeagent.testing.TestAgent;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Operator batches that are accepted, against the real server. */
class VariablesIT {
  @StartedAgent private static TestAgent agent;

  private static JsonNode variables() {
    TestAgent.Reply reply = agent.get("/api/v1/variables");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.verifiedSigner().checksummed()).isEqualTo(agent.address());
    return reply.json();
  }

  private static long nonce() {
    return Long.parseLong(variables().get("operator_nonce").asText());
  }

  @Test
  void setsAPublicVariableAndShowsItWithTheNextNonceAndANewStateHash() {
    JsonNode before = variables();
    JsonNode answer = agent.operator().set("llm_model", "openai/gpt-4o-mini").apply();

    long next = Long.parseLong(before.get("operator_nonce").asText()) + 1;
    assertThat(answer.get("operator_nonce").asText()).isEqualTo(String.valueOf(next));
    assertThat(answer.get("commands").asInt()).isEqualTo(1);
    assertThat(answer.get("state_hash").asText()).isNotEqualTo(before.get("state_hash").asText());
    JsonNode one = agent.get("/api/v1/variables/llm_model").json();
    assertThat(one.get("variable").get("value").asText()).isEqualTo("openai/gpt-4o-mini");
    assertThat(one.get("variable").get("hidden").asBoolean()).isFalse();
    assertThat(one.get("variable").get("value_hash").isNull()).isTrue();
    JsonNode config = agent.get("/api/v1/config").json();
    assertThat(config.get("operator_nonce").asText()).isEqualTo(String.valueOf(next));
    assertThat(config.get("state_hash").asText()).isEqualTo(answer.get("state_hash").asText());
  }

  @Test
  void showsAHiddenVariableOnlyAsTheHashOfItsCiphertext() {
    String ciphertext = agent.operator().seal("api_secret", "s3cr3t-value");
    agent.operator().command(VariableCommand.set("api_secret", ciphertext, true, false)).apply();

    JsonNode view = agent.get("/api/v1/variables/api_secret").json().get("variable");
    assertThat(view.get("value").isNull()).isTrue();
    assertThat(view.get("hidden").asBoolean()).isTrue();
    assertThat(view.get("value_hash").asText())
        .isEqualTo(Keccak.hashHex(HexFormat.of().parseHex(ciphertext.substring(2))));
    assertThat(agent.get("/api/v1/variables").text()).doesNotContain("s3cr3t-value");
  }

  @Test
  void acceptsTheSeedShapeWithVariablesInsteadOfCommands() {
    String body = agent.operator().set("seed_a", "1").set("seed_b", "two").seedBody();
    assertThat(body).contains("\"variables\":[{\"name\":\"seed_a\",\"value\":\"1\"}");
    TestAgent.Reply reply = agent.post("/api/v1/variables", body);
    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    assertThat(agent.get("/api/v1/variables/seed_b").json().get("variable").get("value").asText())
        .isEqualTo("two");
  }

  @Test
  void anEmptyBatchOnlyConsumesTheNonce() {
    JsonNode before = variables();
    agent.operator().apply();
    JsonNode after = variables();
    assertThat(Long.parseLong(after.get("operator_nonce").asText()))
        .isEqualTo(Long.parseLong(before.get("operator_nonce").asText()) + 1);
    assertThat(after.get("variables")).isEqualTo(before.get("variables"));
  }

  @Test
  void revealsFreezesAndDeletesInOrderWithinOneBatch() {
    agent.operator().setHidden("to_reveal", "now public").set("to_delete", "x").apply();
    JsonNode answer =
        agent.operator().reveal("to_reveal").freeze("to_reveal").delete("to_delete").apply();

    assertThat(answer.get("deleted")).extracting(JsonNode::asText).containsExactly("to_delete");
    JsonNode revealed = agent.get("/api/v1/variables/to_reveal").json().get("variable");
    assertThat(revealed.get("value").asText()).isEqualTo("now public");
    assertThat(revealed.get("hidden").asBoolean()).isFalse();
    assertThat(revealed.get("immutable").asBoolean()).isTrue();
    assertThat(agent.get("/api/v1/variables/to_delete").errorCode())
        .isEqualTo("variable_not_found");
  }

  @Test
  void setCanTurnAHiddenVariableIntoAPublicOneAndAMutableOneImmutable() {
    agent.operator().setHidden("flip", "secret").apply();
    agent.operator().setImmutable("flip", "public now").apply();
    JsonNode view = agent.get("/api/v1/variables/flip").json().get("variable");
    assertThat(view.get("value").asText()).isEqualTo("public now");
    assertThat(view.get("immutable").asBoolean()).isTrue();
  }

  @Test
  void recordsEachAcceptedBatchInTheAuditLogWithHiddenValuesHashed() {
    String ciphertext = agent.operator().seal("audited", "do-not-log");
    JsonNode answer =
        agent
            .operator()
            .command(VariableCommand.set("audited", ciphertext, true, false))
            .set("audited_public", "v")
            .apply();
    long index = answer.get("audit_index").asLong();
    JsonNode page = agent.get("/api/v1/audit?from=" + index + "&limit=1").json();
    JsonNode entry = page.get("entries").get(0);
    assertThat(entry.get("index").asLong()).isEqualTo(index);
    assertThat(entry.get("kind").asText()).isEqualTo("commands");
    JsonNode commands = entry.get("payload").get("commands");
    assertThat(commands.get(0).get("value").asText())
        .isEqualTo(Keccak.hashHex(HexFormat.of().parseHex(ciphertext.substring(2))));
    assertThat(commands.get(1).get("value").asText()).isEqualTo("v");
    assertThat(entry.get("payload").get("nonce").asText()).isEqualTo(answer.get("nonce").asText());
    assertThat(page.toString())
        .doesNotContain(ciphertext.substring(2))
        .doesNotContain("do-not-log");
  }

  @Test
  void pagesTheAuditLogAndRefusesALimitAbove500() {
    for (int i = 0; i < 3; i++) {
      agent.operator().set("page_" + i, "v").apply();
    }
    JsonNode all = agent.get("/api/v1/audit?from=0&limit=500").json();
    long total = all.get("total").asLong();
    assertThat(all.get("entries")).hasSize((int) total);
    JsonNode two = agent.get("/api/v1/audit?from=1&limit=2").json();
    assertThat(two.get("entries")).hasSize(2);
    assertThat(two.get("entries").get(0)).isEqualTo(all.get("entries").get(1));
    assertThat(agent.get("/api/v1/audit?limit=501").errorCode()).isEqualTo("bad_query");
    assertThat(agent.get("/api/v1/audit?limit=0").errorCode()).isEqualTo("bad_query");
    assertThat(agent.get("/api/v1/audit?from=-1").errorCode()).isEqualTo("bad_query");
    assertThat(agent.get("/api/v1/audit?from=" + (total + 5)).json().get("entries")).isEmpty();
  }

  @Test
  void nonceAndDeadlineMayBeSpelledAsHexStringsOrSmallJsonIntegers() {
    long nonce = nonce();
    long deadline = System.currentTimeMillis() / 1000 + 60;
    // The signature covers the numbers, not their spelling.
    String body =
        agent
            .operator()
            .set("hex_nonce", "ok")
            .deadline(deadline)
            .bodyTree()
            .put("nonce", "0x" + Long.toHexString(nonce))
            .put("deadline", deadline)
            .toString();
    TestAgent.Reply reply = agent.post("/api/v1/variables", body);
    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    assertThat(reply.json().get("nonce").asText()).isEqualTo(String.valueOf(nonce));
  }
}
