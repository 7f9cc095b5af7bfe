package dev.teeagent.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.teeagent.crypto.Keccak;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.testing.FakeLlmProvider;
import dev.teeagent.testing.NodeScript;
import dev.teeagent.testing.PromptBody;
import dev.teeagent.testing.ServerSentEvents;
import dev.teeagent.testing.TestAgent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Signed prompt answers check out with ethers + canonicalize (code we did not write): the
 * signature, the provider request rebuilt from the signed members as docs/verifiers.md says, and
 * the hash of a relayed stream.
 */
class PromptInteropIT {
  private static final ObjectMapper MAPPER = JsonMappers.strict();

  @Test
  void ethersVerifiesPromptAnswersAndRebuildsTheExactRequestSentToTheProvider() throws Exception {
    List<String> answers = new ArrayList<>();
    List<String> streams = new ArrayList<>();
    List<String> sentHashes = new ArrayList<>();
    String agentAddress;
    try (FakeLlmProvider provider = FakeLlmProvider.start();
        TestAgent agent = TestAgent.start()) {
      agentAddress = agent.address();
      provider.configure(agent);

      provider.answers("openai-text.json");
      answers.add(agent.prompt(PromptBody.ask("What is the capital of France?")).text());
      streams.add(null);
      sentHashes.add(Keccak.hashHex(provider.onlyRequest().getBody()));

      provider.reset();
      provider.answers("openrouter-tool-call.json");
      PromptBody rich =
          PromptBody.ask("What's the weather in Paris? \u00e9\u20ac\uD83D\uDE80 \"quoted\"\n")
              .system("You are a weather bot.\tUse tools.")
              .weatherTool()
              .with("temperature", 0.2)
              .with("top_p", 1.0)
              .with("frequency_penalty", -0.5)
              .with("seed", 9007199254740991L)
              .with("stop", JsonNodeFactory.instance.arrayNode().add("\n\n"))
              .with("response_format", JsonNodeFactory.instance.objectNode().put("type", "text"));
      answers.add(agent.prompt(rich).text());
      streams.add(null);
      sentHashes.add(Keccak.hashHex(provider.onlyRequest().getBody()));

      provider.reset();
      provider.answers(FakeLlmProvider.eventStream("openrouter-stream-tool-calls.sse"));
      TestAgent.Reply streamed =
          agent.prompt(PromptBody.ask("Weather in Paris and Tokyo?").weatherTool().streamed());
      answers.add(ServerSentEvents.parse(streamed.body()).getLast().data());
      streams.add(streamed.text());
      sentHashes.add(Keccak.hashHex(provider.onlyRequest().getBody()));

      provider.reset();
      provider.answers(
          FakeLlmProvider.json(FakeLlmProvider.fixture("openrouter-401.json")).withStatus(401));
      answers.add(agent.prompt(PromptBody.ask("hi")).text());
      streams.add(null);
      sentHashes.add(null);
    }

    ArrayNode input = MAPPER.createArrayNode();
    for (int i = 0; i < answers.size(); i++) {
      input.addObject().put("answer", answers.get(i)).put("stream", streams.get(i));
    }
    JsonNode results =
        MAPPER.readTree(NodeScript.run("verify-prompt.mjs", MAPPER.writeValueAsString(input)));
    assertThat(results).hasSize(answers.size());
    for (int i = 0; i < answers.size(); i++) {
      JsonNode result = results.get(i);
      JsonNode answer = MAPPER.readTree(answers.get(i));
      assertThat(result.get("recovered").asText()).isEqualTo(agentAddress);
      assertThat(result.get("signer").asText()).isEqualTo(agentAddress);
      if (sentHashes.get(i) != null) {
        assertThat(result.get("rebuilt_request_hash").asText())
            .isEqualTo(answer.get("provider_request_hash").asText())
            .isEqualTo(sentHashes.get(i));
      }
    }
    JsonNode streamedAnswer = MAPPER.readTree(answers.get(2));
    assertThat(results.get(2).get("stream_hash").asText())
        .isEqualTo(streamedAnswer.get("stream_hash").asText());
    assertThat(MAPPER.readTree(answers.get(3)).at("/error/code").asText())
        .isEqualTo("llm_rejected");
  }
}
