package dev.teeagent.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class SseReaderTest {
  private static List<String> read(String stream) throws IOException {
    SseReader reader = new SseReader(new Buffer().writeUtf8(stream));
    List<String> events = new ArrayList<>();
    for (String data = reader.next(); data != null; data = reader.next()) {
      events.add(data);
    }
    return events;
  }

  @Test
  void readsDataOfEventsEndedByBlankLinesWithLfOrCrlf() throws IOException {
    assertThat(read("data: {\"a\":1}\n\ndata: {\"b\":2}\r\n\r\ndata: [DONE]\n\n"))
        .containsExactly("{\"a\":1}", "{\"b\":2}", "[DONE]");
  }

  @Test
  void skipsCommentsAndOtherFieldsAndJoinsDataLines() throws IOException {
    assertThat(read(": OPENROUTER PROCESSING\n\nevent: x\nid: 7\ndata: one\ndata:two\n\n"))
        .containsExactly("one\ntwo");
  }

  @Test
  void aLastEventWithoutItsBlankLineStillCounts() throws IOException {
    assertThat(read("data: last\n")).containsExactly("last");
  }

  @Test
  void aStreamCutMidLineIsAnError() {
    assertThatThrownBy(() -> read("data: {\"a\":1}\n\ndata: {\"cho"))
        .isInstanceOf(EOFException.class);
  }

  @Test
  void anEventWhoseDataLinesNeverEndIsRefusedBeforeItOutgrowsAWholeAnswer() {
    String line = "data: " + "x".repeat((int) SseReader.MAX_LINE - 100) + "\n";
    String stream = line.repeat((int) (PromptService.MAX_ANSWER_BYTES / SseReader.MAX_LINE) + 1);

    AgentException refused = catchThrowableOfType(AgentException.class, () -> read(stream));

    assertThat(refused).isNotNull();
    assertThat(refused.code()).isEqualTo(ErrorCode.LLM_BAD_RESPONSE);
    assertThat(refused.clientMessage()).contains("larger than 8 MiB");
  }
}
