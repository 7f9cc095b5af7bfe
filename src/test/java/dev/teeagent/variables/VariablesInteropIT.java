package dev.teeagent.variables;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.crypto.Jcs;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.testing.NodeScript;
import dev.teeagent.testing.OperatorCommands;
import dev.teeagent.testing.StartedAgent;
import dev.teeagent.testing.TestAgent;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The operator side done with code we did not write: batches signed by ethers {@code
 * signTypedData}, secrets encrypted by eciesjs, and the audit chain and {@code state_hash}
 * recomputed by canonicalize + ethers keccak256 from the public answers alone.
 */
class VariablesInteropIT {
  private static final ObjectMapper MAPPER = JsonMappers.strict();
  @StartedAgent private static TestAgent agent;

  private static ObjectNode domain() {
    return (ObjectNode) agent.get("/api/v1/config").json().get("eip712_domain");
  }

  private static String nonce() {
    return agent.get("/api/v1/config").json().get("operator_nonce").asText();
  }

  private static ObjectNode command(String function, String name, String value, boolean hidden) {
    return MAPPER
        .createObjectNode()
        .put("function", function)
        .put("name", name)
        .put("value", value)
        .put("hidden", hidden)
        .put("immutable", false);
  }

  /** Signs {@code commands} with ethers' Wallet.signTypedData and returns the request body. */
  private static ObjectNode signedByEthers(ArrayNode commands) throws Exception {
    ObjectNode batch = MAPPER.createObjectNode();
    batch.set("commands", commands);
    batch.put("nonce", nonce());
    batch.put("deadline", String.valueOf(System.currentTimeMillis() / 1000 + 300));
    ObjectNode input = MAPPER.createObjectNode();
    input.set("domain", domain());
    input.put("key", TestAgent.OPERATOR_KEY);
    input.set("batch", batch);
    JsonNode signed = MAPPER.readTree(NodeScript.run("eip712-batch.mjs", input.toString(), "sign"));
    return batch.deepCopy().put("signature", signed.get("signature").asText());
  }

  @Test
  void acceptsBatchesSignedByEthersSignTypedData() throws Exception {
    ArrayNode commands = MAPPER.createArrayNode();
    commands.add(command("set", "from_ethers", "unicode ✓ 🚀 \"quoted\" \\ and \n newline", false));
    commands.add(command("set", "to_freeze", "v", false));
    commands.add(command("freeze", "to_freeze", "", false));

    TestAgent.Reply reply = agent.post("/api/v1/variables", signedByEthers(commands).toString());

    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    assertThat(
            agent.get("/api/v1/variables/from_ethers").json().get("variable").get("value").asText())
        .isEqualTo("unicode ✓ 🚀 \"quoted\" \\ and \n newline");
  }

  @Test
  void ourTypedDataDigestsEqualEthersTypedDataEncoderByteForByte() throws Exception {
    OperatorCommands ops = agent.operator();
    List<CommandBatch> batches =
        List.of(
            new CommandBatch(List.of(), java.math.BigInteger.ZERO, java.math.BigInteger.ONE),
            new CommandBatch(
                List.of(
                    VariableCommand.set("a", "", false, false),
                    VariableCommand.set("b_2", "é ✓ 🚀 \u0000", true, true),
                    VariableCommand.of("delete", "a")),
                new java.math.BigInteger(
                    "115792089237316195423570985008687907853269984665640564039457584007913129639935"),
                java.math.BigInteger.valueOf(1_900_000_000L)));
    ObjectNode input = MAPPER.createObjectNode();
    input.set("domain", domain());
    ArrayNode list = input.putArray("batches");
    for (CommandBatch batch : batches) {
      ObjectNode node = list.addObject();
      node.set("commands", MAPPER.valueToTree(batch.commands()));
      node.put("nonce", batch.nonce().toString());
      node.put("deadline", batch.deadline().toString());
    }
    JsonNode digests =
        MAPPER.readTree(NodeScript.run("eip712-batch.mjs", input.toString(), "hash"));
    dev.teeagent.crypto.Eip712.Domain domain =
        new dev.teeagent.crypto.Eip712.Domain(
            domain().get("name").asText(), "1", ops.agentAddress());
    for (int i = 0; i < batches.size(); i++) {
      assertThat(digests.get(i).asText())
          .isEqualTo("0x" + HexFormat.of().formatHex(batches.get(i).digest(domain)));
    }
  }

  @Test
  void decryptsValuesEncryptedByEciesjsToTheExactBytes() throws Exception {
    List<String> secrets =
        List.of("sk-or-v1-0123456789abcdef", "", "ünïcödé ✓ 🚀 \"q\" \\", "x".repeat(20_000));
    String address = agent.address();
    ArrayNode commands = MAPPER.createArrayNode();
    ArrayNode plaintexts = MAPPER.createArrayNode();
    for (int i = 0; i < secrets.size(); i++) {
      ObjectNode sealed =
          MAPPER
              .createObjectNode()
              .put("agent", address.toLowerCase())
              .put("name", "ecies_" + i)
              .put("value", secrets.get(i));
      plaintexts.add("0x" + HexFormat.of().formatHex(Jcs.canonicalize(sealed.toString())));
    }
    ObjectNode input = MAPPER.createObjectNode();
    input.put("public_key", agent.get("/api/v1/config").json().get("public_key").asText());
    input.set("plaintexts", plaintexts);
    JsonNode ciphertexts =
        MAPPER.readTree(NodeScript.run("ecies.mjs", input.toString(), "encrypt"));
    for (int i = 0; i < secrets.size(); i++) {
      commands.add(command("set", "ecies_" + i, ciphertexts.get(i).asText(), true));
    }
    assertThat(agent.post("/api/v1/variables", signedByEthers(commands).toString()).status())
        .isEqualTo(200);

    // Revealing is the only way the plaintext ever leaves the agent: it shows what was decrypted.
    OperatorCommands reveal = agent.operator();
    for (int i = 0; i < secrets.size(); i++) {
      reveal.reveal("ecies_" + i);
    }
    reveal.apply();
    for (int i = 0; i < secrets.size(); i++) {
      JsonNode view = agent.get("/api/v1/variables/ecies_" + i).json().get("variable");
      assertThat(view.get("value").asText().getBytes(StandardCharsets.UTF_8))
          .isEqualTo(secrets.get(i).getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void stateHashAndAuditEntryHashesRecomputeIndependentlyFromThePublicAnswers() throws Exception {
    agent.operator().set("audit_pub", "1").setHidden("audit_hidden", "hush").apply();
    agent.operator().freeze("audit_pub").apply();
    agent.operator().apply();

    JsonNode variables = agent.get("/api/v1/variables").json();
    JsonNode audit = agent.get("/api/v1/audit?from=0&limit=500").json();
    ObjectNode input = MAPPER.createObjectNode();
    input.set("variables", variables);
    input.set("audit", audit);
    JsonNode result = MAPPER.readTree(NodeScript.run("audit-check.mjs", input.toString()));

    assertThat(result.get("chain_ok").asBoolean()).isTrue();
    assertThat(result.get("entry_hashes")).hasSize(audit.get("entries").size());
    assertThat(result.get("head").asText())
        .isEqualTo(audit.get("head").asText())
        .isEqualTo(variables.get("audit_head").asText());
    assertThat(result.get("state_hash").asText())
        .isEqualTo(variables.get("state_hash").asText())
        .isEqualTo(agent.get("/api/v1/config").json().get("state_hash").asText());
  }
}
