package dev.teeagent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.crypto.Utf8;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.testing.AgentWithProvider;
import dev.teeagent.testing.FakeLlmProvider;
import dev.teeagent.testing.NodeScript;
import dev.teeagent.testing.PromptBody;
import dev.teeagent.testing.TestAgent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10 §3: what the operator signed is exactly what is stored, and every answer verifies with
 * npm canonicalize + ethers. A lone UTF-16 surrogate has no UTF-8 encoding: in a request it is a
 * 400 naming the member; in an operator batch it is refused, so a host cannot swap "a?" for
 * "a\ud800"; from the LLM provider it becomes U+FFFD before signing (DESIGN §9).
 */
class LoneSurrogatesIT {
  @RegisterExtension static final AgentWithProvider LLM = new AgentWithProvider();
  private static final ObjectMapper MAPPER = JsonMappers.strict();

  @Test
  void aPromptMessageWithALoneSurrogateIsA400NamingTheMember() {
    String body = PromptBody.ask("PLACEHOLDER").json().replace("PLACEHOLDER", "cut \\ud83d");
    TestAgent.Reply reply = LLM.agent().post("/api/v1/prompt", body);
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.errorCode()).isEqualTo("invalid_field");
    assertThat(reply.json().at("/error/message").asText())
        .contains("'messages[0].content'")
        .contains("lone UTF-16 surrogate");
    assertThat(LLM.provider().requests()).isEmpty();
  }

  @Test
  void aHostCannotSwapTheSignedQuestionMarkForALoneSurrogate() {
    TestAgent agent = LLM.agent();
    String signedForQuestionMark = agent.operator().set("greeting", "a?").body();
    assertThat(signedForQuestionMark).contains("\"value\":\"a?\"");
    String swapped = signedForQuestionMark.replace("\"value\":\"a?\"", "\"value\":\"a\\ud800\"");

    TestAgent.Reply reply = agent.post("/api/v1/variables", swapped);

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.errorCode()).isEqualTo("invalid_field");
    assertThat(reply.json().at("/error/message").asText()).contains("'commands[0].value'");
    assertThat(agent.get("/api/v1/variables").text()).doesNotContain("greeting");
    // The digest the operator signs can never be computed over a lossy encoding either.
    assertThatThrownBy(() -> Utf8.strict("a\ud800")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aLoneSurrogateFromTheProviderIsSignedAsUfffdAndTheAnswerVerifiesInNode() throws Exception {
    String truncatedEmoji =
        FakeLlmProvider.fixture("openai-text.json")
            .replace("The capital of France is Paris.", "Paris \\ud83d");
    LLM.provider().answers(FakeLlmProvider.json(truncatedEmoji));

    TestAgent.Reply reply = LLM.agent().prompt(PromptBody.ask("Capital of France?"));

    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    assertThat(reply.json().at("/response/content").asText()).isEqualTo("Paris \uFFFD");
    assertThat(reply.json().at("/completion/choices/0/message/content").asText())
        .isEqualTo("Paris \uFFFD");
    JsonNode verified =
        MAPPER.readTree(
            NodeScript.run(
                "verify-signed.mjs", MAPPER.createArrayNode().add(reply.text()).toString()));
    assertThat(verified.get(0).get("recovered").asText()).isEqualTo(LLM.agent().address());
  }
}
