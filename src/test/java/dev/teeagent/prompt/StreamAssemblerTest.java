package dev.teeagent.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.json.JsonMappers;
import org.junit.jupiter.api.Test;

class StreamAssemblerTest {
  private static final ObjectMapper MAPPER = JsonMappers.strict();

  private static StreamAssembler assemble(String... chunks) throws Exception {
    StreamAssembler assembler = new StreamAssembler(MAPPER);
    for (String chunk : chunks) {
      assembler.add(MAPPER.readTree(chunk));
    }
    return assembler;
  }

  @Test
  void joinsTextDeltasKeepsTopLevelMembersAndTakesTheLastUsage() throws Exception {
    StreamAssembler assembler =
        assemble(
            "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":5,\"model\":\"m\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                + "\"finish_reason\":null}]}",
            "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}",
            "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},"
                + "\"finish_reason\":\"stop\"}]}",
            "{\"id\":\"c1\",\"choices\":[],\"usage\":{\"total_tokens\":9}}");
    JsonNode completion = assembler.completion();
    assertThat(assembler.finished()).isTrue();
    assertThat(completion.get("object").asText()).isEqualTo("chat.completion");
    assertThat(completion.get("created").asInt()).isEqualTo(5);
    assertThat(completion.at("/choices/0/message/content").asText()).isEqualTo("Hello");
    assertThat(completion.at("/choices/0/message/role").asText()).isEqualTo("assistant");
    assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(completion.at("/usage/total_tokens").asInt()).isEqualTo(9);
  }

  @Test
  void mergesToolCallFragmentsByIndexAndWithoutIndexByNewIds() throws Exception {
    JsonNode indexed =
        assemble(
                "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"b\","
                    + "\"type\":\"function\",\"function\":{\"name\":\"g\",\"arguments\":\"{\\\"x\"}}]}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"a\","
                    + "\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,"
                    + "\"function\":{\"arguments\":\"\\\":1}\"}}]},\"finish_reason\":\"tool_calls\"}]}")
            .completion();
    JsonNode calls = indexed.at("/choices/0/message/tool_calls");
    assertThat(calls).hasSize(2);
    assertThat(calls.at("/0/id").asText()).isEqualTo("a");
    assertThat(calls.at("/0/type").asText()).isEqualTo("function");
    assertThat(calls.at("/1/function/name").asText()).isEqualTo("g");
    assertThat(calls.at("/1/function/arguments").asText()).isEqualTo("{\"x\":1}");
    assertThat(calls.at("/0/index").isMissingNode()).isTrue();

    JsonNode unindexed =
        assemble(
                "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"id\":\"a\",\"function\":"
                    + "{\"name\":\"f\",\"arguments\":\"{\\\"q\\\"\"}}]}}]}",
                "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":\":2}\"}}]}}]}",
                "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"id\":\"b\",\"function\":"
                    + "{\"name\":\"f\",\"arguments\":\"{}\"}}]}}]}")
            .completion();
    JsonNode both = unindexed.at("/choices/0/message/tool_calls");
    assertThat(both).hasSize(2);
    assertThat(both.at("/0/function/arguments").asText()).isEqualTo("{\"q\":2}");
    assertThat(both.at("/1/id").asText()).isEqualTo("b");
  }

  @Test
  void keepsChoicesApartAndIsUnfinishedUntilEachHasAFinishReason() throws Exception {
    StreamAssembler assembler =
        assemble(
            "{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"B\"}},"
                + "{\"index\":0,\"delta\":{\"content\":\"A\"},\"finish_reason\":\"stop\"}]}");
    assertThat(assembler.finished()).isFalse();
    JsonNode completion = assembler.completion();
    assertThat(completion.at("/choices/0/message/content").asText()).isEqualTo("A");
    assertThat(completion.at("/choices/1/message/content").asText()).isEqualTo("B");
  }

  @Test
  void appendsRefusalAndReasoningTextAndMergesLogprobs() throws Exception {
    JsonNode completion =
        assemble(
                "{\"choices\":[{\"index\":0,\"delta\":{\"refusal\":\"I can\"},"
                    + "\"logprobs\":{\"content\":[{\"token\":\"I\"}]}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"refusal\":\"'t.\",\"reasoning\":\"r\"},"
                    + "\"logprobs\":{\"content\":[{\"token\":\" can\"}]},\"finish_reason\":\"stop\"}]}")
            .completion();
    assertThat(completion.at("/choices/0/message/refusal").asText()).isEqualTo("I can't.");
    assertThat(completion.at("/choices/0/message/reasoning").asText()).isEqualTo("r");
    assertThat(completion.at("/choices/0/message/content").isNull()).isTrue();
    assertThat(completion.at("/choices/0/logprobs/content")).hasSize(2);
  }

  @Test
  void assemblesAVeryLongStreamOfTinyDeltasExactly() throws Exception {
    StreamAssembler assembler = new StreamAssembler(MAPPER);
    StringBuilder expectedText = new StringBuilder();
    StringBuilder expectedArguments = new StringBuilder();
    for (int i = 0; i < 50_000; i++) {
      String piece = Integer.toString(i, 36);
      expectedText.append(piece);
      expectedArguments.append(piece);
      assembler.add(
          MAPPER.readTree(
              "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
                  + piece
                  + "\",\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\""
                  + piece
                  + "\"}}]}}]}"));
    }
    JsonNode completion = assembler.completion();
    assertThat(completion.at("/choices/0/message/content").asText())
        .isEqualTo(expectedText.toString());
    assertThat(completion.at("/choices/0/message/tool_calls/0/function/arguments").asText())
        .isEqualTo(expectedArguments.toString());
  }

  @Test
  void aMemberReplacedByAnotherTypeForgetsItsAppendedText() throws Exception {
    StreamAssembler assembler =
        assemble(
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}",
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"b\"}}]}",
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":[1]}}]}");
    assertThat(assembler.completion().at("/choices/0/message/content").toString()).isEqualTo("[1]");
  }
}
