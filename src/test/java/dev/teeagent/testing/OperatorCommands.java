package dev.teeagent.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.crypto.Address;
import dev.teeagent.crypto.Eip712;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.variables.CommandBatch;
import dev.teeagent.variables.HiddenValues;
import dev.teeagent.variables.SignedCommandBatch;
import dev.teeagent.variables.VariableCommand;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.web3j.utils.Numeric;

/**
 * Builds, signs and sends an operator batch to a {@link TestAgent} through the real {@code POST
 * /variables}, signed by the development operator and with hidden values encrypted to the agent's
 * key, so any test sets variables in one line:
 *
 * <pre>
 *   agent.operator().setHidden("llm_api_key", "sk-test").set("llm_model", "m").apply();
 * </pre>
 *
 * Nonce, deadline, key and domain default to what a correct operator would use and can be
 * overridden to build refused batches.
 */
public final class OperatorCommands {
  public static final SigningKey DEV_OPERATOR =
      SigningKey.fromPrivateKeyHex(TestAgent.OPERATOR_KEY);
  private static final ObjectMapper MAPPER = JsonMappers.strict();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final TestAgent agent;
  private final JsonNode config;
  private final List<VariableCommand> commands = new ArrayList<>();
  private SigningKey key = DEV_OPERATOR;
  private BigInteger nonce;
  private BigInteger deadline;
  private Eip712.Domain domain;

  private OperatorCommands(TestAgent agent) {
    this.agent = agent;
    this.config = agent.get("/api/v1/config").json();
    this.nonce = new BigInteger(config.get("operator_nonce").asText());
    this.deadline = BigInteger.valueOf(System.currentTimeMillis() / 1000 + 600);
    this.domain = new Eip712.Domain(config.get("tee_name").asText(), "1", agentAddress());
  }

  public static OperatorCommands to(TestAgent agent) {
    return new OperatorCommands(agent);
  }

  public Address agentAddress() {
    return Address.parse(config.get("address").asText());
  }

  public byte[] agentPublicKey() {
    return Numeric.hexStringToByteArray(config.get("public_key").asText());
  }

  /** A public value. */
  public OperatorCommands set(String name, String value) {
    return command(VariableCommand.set(name, value, false, false));
  }

  public OperatorCommands setImmutable(String name, String value) {
    return command(VariableCommand.set(name, value, false, true));
  }

  /** A hidden value, encrypted to the agent's key as DESIGN §5 says. */
  public OperatorCommands setHidden(String name, String secret) {
    return setHidden(name, secret, false);
  }

  public OperatorCommands setHidden(String name, String secret, boolean immutable) {
    return command(VariableCommand.set(name, seal(name, secret), true, immutable));
  }

  /** The ciphertext a correct operator sends for {@code secret} in variable {@code name}. */
  public String seal(String name, String secret) {
    return HiddenValues.seal(agentPublicKey(), agentAddress(), name, secret, RANDOM);
  }

  public OperatorCommands reveal(String name) {
    return command(VariableCommand.of("reveal", name));
  }

  public OperatorCommands freeze(String name) {
    return command(VariableCommand.of("freeze", name));
  }

  public OperatorCommands delete(String name) {
    return command(VariableCommand.of("delete", name));
  }

  /** Any command exactly as given (nothing encrypted): for refused shapes. */
  public OperatorCommands command(VariableCommand command) {
    commands.add(command);
    return this;
  }

  public OperatorCommands signedBy(SigningKey other) {
    this.key = other;
    return this;
  }

  public OperatorCommands nonce(BigInteger other) {
    this.nonce = other;
    return this;
  }

  public OperatorCommands deadline(long unixSeconds) {
    this.deadline = BigInteger.valueOf(unixSeconds);
    return this;
  }

  public OperatorCommands domain(Eip712.Domain other) {
    this.domain = other;
    return this;
  }

  public SignedCommandBatch signed() {
    return SignedCommandBatch.sign(new CommandBatch(commands, nonce, deadline), domain, key);
  }

  /**
   * The signed body as a JSON tree, for tests that tamper with it. Built without the request
   * record's checks, so that batches the agent must refuse (too many commands) can be sent.
   */
  public ObjectNode bodyTree() {
    CommandBatch batch = new CommandBatch(commands, nonce, deadline);
    ObjectNode tree = MAPPER.createObjectNode();
    tree.set("commands", MAPPER.valueToTree(commands));
    tree.put("nonce", nonce.toString());
    tree.put("deadline", deadline.toString());
    tree.put("signature", key.signDigest(batch.digest(domain)).toHex());
    return tree;
  }

  public String body() {
    return write(bodyTree());
  }

  /** The seed's shape: {@code {"variables": [{"name", "value"}], nonce, deadline, signature}}. */
  public String seedBody() {
    ObjectNode tree = bodyTree();
    ArrayNode list = MAPPER.createArrayNode();
    for (JsonNode command : tree.remove("commands")) {
      list.addObject()
          .put("name", command.get("name").asText())
          .put("value", command.get("value").asText());
    }
    tree.set("variables", list);
    return write(tree);
  }

  /** Posts the batch; the answer may be a refusal. */
  public TestAgent.Reply send() {
    return agent.post("/api/v1/variables", body());
  }

  public TestAgent.Reply send(Map<String, String> headers) {
    return agent.post("/api/v1/variables", body(), headers);
  }

  /** Posts the batch and fails unless it was accepted; returns the signed answer. */
  public JsonNode apply() {
    TestAgent.Reply reply = send();
    if (reply.status() != 200) {
      throw new AssertionError("batch refused: " + reply.text());
    }
    return reply.json();
  }

  private static String write(JsonNode tree) {
    try {
      return MAPPER.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }
}
