package dev.teeagent.prompt;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.teeagent.testing.FakeLlmProvider;
import dev.teeagent.testing.PromptBody;
import dev.teeagent.testing.TestAgent;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The hidden API key appears in no answer (body or header) and no log line — Logback at TRACE and
 * java.util.logging (OkHttp's) at ALL — across answers, streams and every provider fault.
 */
class PromptSecrecyIT {
  private static final String KEY = FakeLlmProvider.API_KEY;

  /** Everything that must never show: the key, and any 16-character piece of it. */
  private static List<String> forbidden() {
    List<String> pieces = new ArrayList<>();
    for (int i = 0; i + 16 <= KEY.length(); i += 4) {
      pieces.add(KEY.substring(i, i + 16));
    }
    return pieces;
  }

  private static List<ResponseDefinitionBuilder> providerBehaviours() {
    String quotingKey =
        "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\",\"code\":401}}";
    return List.of(
        FakeLlmProvider.json(FakeLlmProvider.fixture("openrouter-tool-call.json")),
        FakeLlmProvider.eventStream("openai-stream-text.sse"),
        aResponse().withStatus(401).withBody(quotingKey),
        aResponse().withStatus(400).withBody(FakeLlmProvider.fixture("openai-400.json")),
        aResponse().withStatus(500).withBody(quotingKey),
        aResponse().withStatus(503).withHeader("Retry-After", "1").withBody(quotingKey),
        aResponse().withStatus(429).withHeader("Retry-After", "60").withBody(quotingKey),
        aResponse().withStatus(302).withHeader("Location", "/steal?key=" + KEY),
        FakeLlmProvider.json("not json " + KEY),
        FakeLlmProvider.json(FakeLlmProvider.fixture("openai-text.json")).withFixedDelay(3_000),
        aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
        aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK),
        aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE));
  }

  @Test
  void apiKeyAppearsInNoAnswerAndNoLogLineWhateverTheProviderDoes() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level previous = root.getLevel();
    ListAppender<ILoggingEvent> logback = new ListAppender<>();
    logback.start();
    root.addAppender(logback);
    root.setLevel(Level.TRACE);
    List<Logger> ours =
        List.of(
            (Logger) LoggerFactory.getLogger("dev.teeagent"),
            (Logger) LoggerFactory.getLogger("teeagent"));
    ours.forEach(logger -> logger.setLevel(Level.TRACE));
    java.util.logging.Logger julRoot = java.util.logging.Logger.getLogger("");
    java.util.logging.Level julPrevious = julRoot.getLevel();
    List<String> jul = new ArrayList<>();
    Handler julCapture = capture(jul);
    julRoot.addHandler(julCapture);
    julRoot.setLevel(java.util.logging.Level.ALL);

    List<TestAgent.Reply> replies = new ArrayList<>();
    try (FakeLlmProvider provider = FakeLlmProvider.start();
        TestAgent agent = TestAgent.start(PromptFaultsIT.SHORT)) {
      provider.configure(agent);
      for (ResponseDefinitionBuilder behaviour : providerBehaviours()) {
        provider.reset();
        provider.answers(behaviour);
        replies.add(agent.prompt(PromptBody.ask("What's the weather in Paris?").weatherTool()));
        replies.add(agent.prompt(PromptBody.ask("And in Tokyo?").streamed()));
      }
      agent.operator().set("llm_base_url", provider.untrustedHttpsBaseUrl()).apply();
      replies.add(agent.prompt(PromptBody.ask("over TLS")));
      replies.add(agent.get("/api/v1/variables"));
      replies.add(agent.get("/api/v1/variables/llm_api_key"));
    } finally {
      root.detachAppender(logback);
      root.setLevel(previous);
      ours.forEach(logger -> logger.setLevel(null));
      julRoot.removeHandler(julCapture);
      julRoot.setLevel(julPrevious);
    }

    assertThat(replies).extracting(TestAgent.Reply::status).contains(200, 502, 504);
    List<String> lines = new ArrayList<>(jul);
    for (ILoggingEvent event : logback.list) {
      lines.add(
          event.getLoggerName()
              + " "
              + event.getFormattedMessage()
              + " "
              + event.getMDCPropertyMap()
              + throwableText(event.getThrowableProxy()));
    }
    assertThat(lines).isNotEmpty();
    for (String secret : forbidden()) {
      for (String line : lines) {
        assertThat(line).doesNotContain(secret);
      }
      for (TestAgent.Reply reply : replies) {
        assertThat(reply.text()).doesNotContain(secret);
        assertThat(reply.headers().map().toString()).doesNotContain(secret);
      }
    }
  }

  private static String throwableText(IThrowableProxy proxy) {
    StringBuilder text = new StringBuilder();
    for (IThrowableProxy p = proxy; p != null; p = p.getCause()) {
      text.append(' ').append(p.getClassName()).append(": ").append(p.getMessage());
    }
    return text.toString();
  }

  private static Handler capture(List<String> into) {
    return new Handler() {
      @Override
      public void publish(LogRecord record) {
        StringBuilder line = new StringBuilder(record.getLoggerName()).append(' ');
        line.append(new SimpleFormatter().formatMessage(record));
        for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
          line.append(' ').append(t);
        }
        synchronized (into) {
          into.add(line.toString());
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }
}
