package dev.teeagent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.config.AgentSettings;
import dev.teeagent.config.BuildInfo;
import dev.teeagent.crypto.Eip712;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.http.AgentHttpServer;
import dev.teeagent.http.ApiRoute;
import dev.teeagent.http.AuditRoute;
import dev.teeagent.http.ConfigRoute;
import dev.teeagent.http.JsonBodies;
import dev.teeagent.http.PostVariablesRoute;
import dev.teeagent.http.ResponseSigner;
import dev.teeagent.http.SignTransactionRoute;
import dev.teeagent.http.VariableRoute;
import dev.teeagent.http.VariablesRoute;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.transactions.NonceTracker;
import dev.teeagent.transactions.RpcConnector;
import dev.teeagent.transactions.SignerNonces;
import dev.teeagent.transactions.TransactionPolicy;
import dev.teeagent.transactions.TransactionSigner;
import dev.teeagent.variables.AgentState;
import dev.teeagent.variables.HiddenValues;
import dev.teeagent.variables.VariableRules;
import dev.teeagent.variables.VariableService;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates and wires every object of a running agent; nothing else constructs services. */
public final class App implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(App.class);

  private final SigningKey agentKey;
  private final AgentHttpServer server;
  private final int port;

  private App(SigningKey agentKey, AgentHttpServer server, int port) {
    this.agentKey = agentKey;
    this.server = server;
    this.port = port;
  }

  public static App start(AgentSettings settings, Clock clock, SecureRandom random) {
    ObjectMapper mapper = JsonMappers.strict();
    SigningKey agentKey = SigningKey.generate(random);
    Instant startedAt = clock.instant();
    ResponseSigner signer = new ResponseSigner(settings.teeName(), agentKey, clock, mapper);
    AgentState state = new AgentState(new VariableRules(new HiddenValues(agentKey)), clock, mapper);
    Eip712.Domain domain = new Eip712.Domain(settings.teeName(), "1", agentKey.address());
    VariableService variables =
        new VariableService(domain, settings.operator(), state, clock, mapper);
    SignerNonces signerNonces = new SignerNonces();
    TransactionSigner transactions =
        new TransactionSigner(
            agentKey,
            new TransactionPolicy(
                state, settings.operator(), domain, state::operatorNonce, signerNonces, clock),
            new NonceTracker(),
            RpcConnector.withDefaults(),
            state::withOperatorNonce,
            signerNonces,
            entry -> state.appendTransaction(mapper.valueToTree(entry)).index());
    JsonBodies bodies = new JsonBodies(mapper);
    List<ApiRoute> routes =
        List.of(
            new ConfigRoute(
                settings, agentKey, BuildInfo.current(), startedAt, state, transactions),
            new VariablesRoute(state),
            new VariableRoute(state),
            new PostVariablesRoute(bodies, variables),
            new AuditRoute(state),
            new SignTransactionRoute(bodies, transactions));
    AgentHttpServer server = new AgentHttpServer(routes, signer, mapper);
    int port = server.start(settings.host(), settings.port());
    LOG.info(
        "agent {} listening on {}:{} as {} (operator {})",
        settings.teeName(),
        settings.host(),
        port,
        agentKey.address(),
        settings.operator());
    return new App(agentKey, server, port);
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
  }
}
