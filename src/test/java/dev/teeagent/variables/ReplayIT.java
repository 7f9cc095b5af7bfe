package dev.teeagent.variables;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.testing.StartedAgent;
import dev.teeagent.testing.TestAgent;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** A signed batch works once, for one agent boot, before its deadline, and only as signed. */
class ReplayIT {
  @StartedAgent private static TestAgent agent;

  @Test
  void refusesTheSameBatchTheSecondTime() {
    String body = agent.operator().set("once", "1").body();
    assertThat(agent.post("/api/v1/variables", body).status()).isEqualTo(200);
    String nonceAfter = agent.get("/api/v1/config").json().get("operator_nonce").asText();

    TestAgent.Reply replay = agent.post("/api/v1/variables", body);

    assertThat(replay.status()).isEqualTo(409);
    assertThat(replay.errorCode()).isEqualTo("stale_nonce");
    assertThat(agent.get("/api/v1/config").json().get("operator_nonce").asText())
        .isEqualTo(nonceAfter);
  }

  @Test
  void refusesABatchSignedForAnotherBootOfTheAgent() {
    String forOtherBoot;
    try (TestAgent other = TestAgent.start()) {
      // Same tee_name, same operator, same nonce: only verifyingContract (the boot's key) differs.
      assertThat(other.get("/api/v1/config").json().get("operator_nonce").asText()).isEqualTo("0");
      forOtherBoot =
          other
              .operator()
              .nonce(new java.math.BigInteger(operatorNonce()))
              .set("moved", "1")
              .body();
    }
    TestAgent.Reply reply = agent.post("/api/v1/variables", forOtherBoot);
    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.errorCode()).isEqualTo("not_operator");
  }

  @Test
  void refusesABatchPastItsDeadline() {
    TestAgent.Reply reply =
        agent.operator().deadline(System.currentTimeMillis() / 1000 - 60).set("late", "1").send();
    assertThat(reply.status()).isEqualTo(409);
    assertThat(reply.errorCode()).isEqualTo("deadline_expired");
  }

  @Test
  void refusesABatchSignedByAKeyThatIsNotTheOperator() {
    TestAgent.Reply reply =
        agent.operator().signedBy(SigningKey.generate(new SecureRandom())).set("x", "1").send();
    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.errorCode()).isEqualTo("not_operator");
  }

  @Test
  void aBatchWithOneCommandRemovedNoLongerVerifies() {
    ObjectNode tree = agent.operator().set("r_a", "1").set("r_b", "2").set("r_c", "3").bodyTree();
    ((ArrayNode) tree.get("commands")).remove(1);

    TestAgent.Reply reply = agent.post("/api/v1/variables", tree.toString());

    assertThat(reply.errorCode()).isEqualTo("not_operator");
    assertThat(agent.get("/api/v1/variables/r_a").errorCode()).isEqualTo("variable_not_found");
  }

  @Test
  void aBatchWithTwoCommandsSwappedNoLongerVerifies() {
    ObjectNode tree = agent.operator().set("s_a", "1").delete("s_a").bodyTree();
    ArrayNode commands = (ArrayNode) tree.get("commands");
    JsonNode first = commands.get(0);
    commands.set(0, commands.get(1));
    commands.set(1, first);

    TestAgent.Reply reply = agent.post("/api/v1/variables", tree.toString());

    assertThat(reply.errorCode()).isEqualTo("not_operator");
  }

  @Test
  void aBatchWithOneFlagChangedNoLongerVerifies() {
    ObjectNode tree = agent.operator().set("flag_x", "1").bodyTree();
    ((ObjectNode) tree.get("commands").get(0)).put("immutable", true);

    assertThat(agent.post("/api/v1/variables", tree.toString()).errorCode())
        .isEqualTo("not_operator");
  }

  private static String operatorNonce() {
    return agent.get("/api/v1/config").json().get("operator_nonce").asText();
  }
}
