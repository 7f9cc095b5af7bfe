package dev.teeagent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.crypto.Address;
import dev.teeagent.crypto.Eip712;
import dev.teeagent.crypto.Keccak;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.variables.CommandBatch;
import dev.teeagent.variables.HiddenValues;
import dev.teeagent.variables.SignedCommandBatch;
import dev.teeagent.variables.VariableCommand;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * One operator talking to one attested agent: reads the agent's domain and next nonce from its
 * signed {@code /config}, builds and signs a batch (hidden values sealed to the attested key),
 * sends it with a fresh {@code X-Client-Nonce} and accepts the answer only when the attested key
 * signed it for exactly this request.
 */
final class OperatorSession {
  private final AgentClient client;
  private final AgentAttester.AttestedAgent agent;
  private final SigningKey operatorKey;
  private final ObjectMapper mapper;
  private final SecureRandom random;
  private final Clock clock;

  OperatorSession(
      AgentClient client,
      AgentAttester.AttestedAgent agent,
      SigningKey operatorKey,
      ObjectMapper mapper,
      SecureRandom random,
      Clock clock) {
    this.client = client;
    this.agent = agent;
    this.operatorKey = operatorKey;
    this.mapper = mapper;
    this.random = random;
    this.clock = clock;
  }

  /** A command before sealing: hidden set values are still in clear here. */
  record Entry(String function, String name, String value, boolean hidden, boolean immutable) {
    /** A command that names a variable only: reveal, freeze or delete. */
    static Entry named(String function, String name) {
      return new Entry(function, name, "", false, false);
    }

    @Override
    public String toString() {
      return "Entry[" + function + " " + name + "]";
    }
  }

  /** Signs {@code entries} as one batch for the agent's next operator nonce. */
  SignedCommandBatch sign(List<Entry> entries, Duration validFor) throws CliFailure {
    AgentClient.Answer config = client.get("/config");
    if (config.status() != 200 || !config.signer().orElseThrow().equals(agent.address())) {
      throw new CliFailure("the agent's /config is not signed by the attested key");
    }
    JsonNode json = config.json();
    Address operator = Address.parse(json.path("operator").asText());
    if (!operator.equals(operatorKey.address())) {
      throw new CliFailure(
          "this agent's operator is " + operator + ", the key given is " + operatorKey.address());
    }
    Eip712.Domain domain = Eip712.Domain.of(json.get("tee_name").asText(), agent.address());
    BigInteger nonce = new BigInteger(json.get("operator_nonce").asText());
    BigInteger deadline = BigInteger.valueOf(clock.instant().plus(validFor).getEpochSecond());
    List<VariableCommand> commands =
        entries.stream()
            .map(
                entry ->
                    new VariableCommand(
                        entry.function(),
                        entry.name(),
                        entry.hidden() && entry.function().equals("set")
                            ? HiddenValues.seal(
                                agent.publicKey(),
                                agent.address(),
                                entry.name(),
                                entry.value(),
                                random)
                            : entry.value(),
                        entry.hidden(),
                        entry.immutable()))
            .toList();
    return SignedCommandBatch.sign(
        new CommandBatch(commands, nonce, deadline), domain, operatorKey);
  }

  /** Sends a signed batch; returns the agent's verified answer for exactly this request. */
  AgentClient.Answer send(SignedCommandBatch batch) throws CliFailure {
    byte[] body = json(batch);
    byte[] nonceBytes = new byte[16];
    random.nextBytes(nonceBytes);
    String clientNonce = HexFormat.of().formatHex(nonceBytes);
    AgentClient.Answer answer = client.post("/variables", body, clientNonce);
    JsonNode json = answer.json();
    JsonNode request = json.path("request");
    boolean forThisRequest =
        answer.signer().orElseThrow().equals(agent.address())
            && clientNonce.equals(json.path("client_nonce").asText(null))
            && "POST".equals(request.path("method").asText())
            && "/api/v1/variables".equals(request.path("path").asText())
            && Keccak.hashHex(body).equals(request.path("body_hash").asText());
    if (!forThisRequest) {
      throw new CliFailure(
          "the answer is not the attested agent's signed answer to this request (signer, client"
              + " nonce or request echo differ)");
    }
    return answer;
  }

  byte[] json(Object value) throws CliFailure {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new CliFailure("cannot serialize the batch");
    }
  }
}
