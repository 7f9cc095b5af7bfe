package dev.teeagent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.config.AgentSettings;
import dev.teeagent.config.BuildInfo;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.http.AgentHttpServer;
import dev.teeagent.http.ApiRoute;
import dev.teeagent.http.ConfigRoute;
import dev.teeagent.http.JsonBodies;
import dev.teeagent.http.PromptRoute;
import dev.teeagent.http.ResponseSigner;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.prompt.ChatCompletionsClient;
import dev.teeagent.prompt.PromptService;
import dev.teeagent.variables.VariableSource;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates and wires every object of a running agent; nothing else constructs services. */
public final class App implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(App.class);

  private final SigningKey agentKey;
  private final AgentHttpServer server;
  private final int port;
  private final ChatCompletionsClient llm;

  private App(SigningKey agentKey, AgentHttpServer server, int port, ChatCompletionsClient llm) {
    this.agentKey = agentKey;
    this.server = server;
    this.port = port;
    this.llm = llm;
  }

  public static App start(AgentSettings settings, Clock clock, SecureRandom random) {
    ObjectMapper mapper = JsonMappers.strict();
    SigningKey agentKey = SigningKey.generate(random);
    Instant startedAt = clock.instant();
    ResponseSigner signer = new ResponseSigner(settings.teeName(), agentKey, clock, mapper);
    JsonBodies bodies = new JsonBodies(mapper);
    VariableSource variables = name -> Optional.empty();
    ChatCompletionsClient llm =
        ChatCompletionsClient.create(
            settings.prompt(), mapper, BuildInfo.current().version(), clock);
    PromptService prompts =
        new PromptService(variables, llm, mapper, clock, settings.prompt().maxConcurrent());
    List<ApiRoute> routes =
        List.of(
            new ConfigRoute(settings, agentKey, BuildInfo.current(), startedAt),
            new PromptRoute(prompts, bodies));
    AgentHttpServer server = new AgentHttpServer(routes, signer, mapper);
    int port = server.start(settings.host(), settings.port());
    LOG.info(
        "agent {} listening on {}:{} as {} (operator {})",
        settings.teeName(),
        settings.host(),
        port,
        agentKey.address(),
        settings.operator());
    return new App(agentKey, server, port, llm);
  }

  public int port() {
    return port;
  }

  public String address() {
    return agentKey.address().checksummed();
  }

  @Override
  public void close() {
    server.close();
    llm.close();
  }
}
