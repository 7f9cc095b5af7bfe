package dev.teeagent.variables;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.crypto.Secp256k1;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.testing.OperatorCommands;
import dev.teeagent.testing.StartedAgent;
import dev.teeagent.testing.TestAgent;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.web3j.utils.Numeric;

/**
 * Every refusal of {@code POST /variables} against the real server: the right status and code, a
 * signed error that echoes the request, and no change at all (variables, nonce, audit log).
 */
class VariableRefusalsIT {
  private static final SecureRandom RANDOM = new SecureRandom();
  @StartedAgent private static TestAgent agent;

  /** A refused request: {@code body} may first apply accepted batches that set the scene. */
  record Refusal(String description, int status, String code, Function<TestAgent, String> body) {
    @Override
    public String toString() {
      return description + " → " + status + " " + code;
    }
  }

  static Stream<Refusal> refusals() {
    return Stream.of(
        new Refusal(
            "a name with capitals",
            400,
            "invalid_variable_name",
            a -> a.operator().set("Bad_Name", "x").body()),
        new Refusal(
            "a name of 65 characters",
            400,
            "invalid_variable_name",
            a -> a.operator().set("a" + "b".repeat(64), "x").body()),
        new Refusal(
            "an unknown function",
            400,
            "invalid_command",
            a -> a.operator().command(new VariableCommand("drop", "x", "", false, false)).body()),
        new Refusal(
            "a reveal that carries a value",
            400,
            "invalid_command",
            a ->
                a.operator().command(new VariableCommand("reveal", "x", "v", false, false)).body()),
        new Refusal(
            "257 commands",
            400,
            "too_many_commands",
            a -> {
              OperatorCommands batch = a.operator();
              for (int i = 0; i <= SignedCommandBatch.MAX_COMMANDS; i++) {
                batch.set("many_" + i, "v");
              }
              return batch.body();
            }),
        new Refusal(
            "a hidden value in clear",
            400,
            "hidden_value_not_encrypted",
            a ->
                a.operator().command(VariableCommand.set("plain", "sk-plain", true, false)).body()),
        new Refusal(
            "a ciphertext whose ephemeral key is off the curve",
            400,
            "bad_ciphertext",
            a -> a.operator().command(hidden("off_curve", offCurveCiphertext())).body()),
        new Refusal(
            "a ciphertext with a compressed ephemeral key",
            400,
            "bad_ciphertext",
            a -> {
              byte[] good = bytes(a.operator().seal("compressed", "v"));
              good[0] = 0x02;
              return a.operator().command(hidden("compressed", hex(good))).body();
            }),
        new Refusal(
            "a ciphertext shorter than key, nonce and tag",
            400,
            "bad_ciphertext",
            a -> a.operator().command(hidden("short", hex(new byte[96]))).body()),
        new Refusal(
            "a ciphertext with a flipped tag bit",
            400,
            "bad_ciphertext",
            a -> {
              byte[] good = bytes(a.operator().seal("tag", "v"));
              good[65 + 16] ^= 1;
              return a.operator().command(hidden("tag", hex(good))).body();
            }),
        new Refusal(
            "a ciphertext of text that is not {agent,name,value}",
            400,
            "bad_ciphertext",
            a -> {
              byte[] sealed =
                  dev.teeagent.crypto.Ecies.encrypt(
                      a.operator().agentPublicKey(), "just text".getBytes(), RANDOM);
              return a.operator().command(hidden("shape", hex(sealed))).body();
            }),
        new Refusal(
            "a ciphertext sealed for another variable",
            400,
            "ciphertext_mismatch",
            a -> a.operator().command(hidden("target", a.operator().seal("other", "v"))).body()),
        new Refusal(
            "a ciphertext sealed for another agent",
            400,
            "ciphertext_mismatch",
            a -> {
              OperatorCommands ops = a.operator();
              String sealed =
                  HiddenValues.seal(
                      ops.agentPublicKey(),
                      SigningKey.generate(RANDOM).address(),
                      "moved",
                      "v",
                      RANDOM);
              return ops.command(hidden("moved", sealed)).body();
            }),
        new Refusal(
            "a policy list with an empty entry",
            400,
            "empty_list_entry",
            a -> a.operator().set("tx_allowed_to", TestAgent.OPERATOR + ",").body()),
        new Refusal(
            "a policy list with an empty middle entry",
            400,
            "empty_list_entry",
            a -> a.operator().set("tx_allowed_chain_ids", "1,,31337").body()),
        new Refusal(
            "an LLM URL over plain http to a public host",
            400,
            "invalid_value",
            a -> a.operator().set("llm_base_url", "http://openrouter.ai/api/v1").body()),
        new Refusal(
            "an LLM URL with a query, frozen with another set (every prompt would fail)",
            400,
            "invalid_value",
            a ->
                a.operator()
                    .set("with_bad_url", "1")
                    .setImmutable("llm_base_url", "https://openrouter.ai/api/v1?x=1")
                    .body()),
        new Refusal(
            "a sealed API key with a space (no provider would take it)",
            400,
            "invalid_value",
            a -> a.operator().setHidden("llm_api_key", "sk-or-v1 with space").body()),
        new Refusal(
            "an attribution header on two lines",
            400,
            "invalid_value",
            a -> a.operator().set("llm_app_title", "two\nlines").body()),
        new Refusal(
            "an amount that is not decimal",
            400,
            "invalid_value",
            a -> a.operator().set("tx_max_value_wei", "1e18").body()),
        new Refusal(
            "a value over 64 KiB",
            413,
            "value_too_large",
            a -> a.operator().set("big", "x".repeat(64 * 1024 + 1)).body()),
        new Refusal(
            "a reveal of a missing variable",
            404,
            "variable_not_found",
            a -> a.operator().reveal("never_set").body()),
        new Refusal(
            "a delete of a missing variable",
            404,
            "variable_not_found",
            a -> a.operator().delete("never_set").body()),
        new Refusal(
            "a set on an immutable variable",
            409,
            "variable_immutable",
            a -> {
              a.operator().setImmutable("imm_set", "v").apply();
              return a.operator().set("imm_set", "w").body();
            }),
        new Refusal(
            "a set that repeats an immutable variable exactly",
            409,
            "variable_immutable",
            a -> {
              a.operator().setImmutable("imm_same", "v").apply();
              return a.operator().setImmutable("imm_same", "v").body();
            }),
        new Refusal(
            "a delete of an immutable variable",
            409,
            "variable_immutable",
            a -> {
              a.operator().setImmutable("imm_delete", "v").apply();
              return a.operator().delete("imm_delete").body();
            }),
        new Refusal(
            "a reveal of an immutable hidden variable",
            409,
            "variable_immutable",
            a -> {
              a.operator().setHidden("imm_reveal", "v", true).apply();
              return a.operator().reveal("imm_reveal").body();
            }),
        new Refusal(
            "a freeze of a frozen variable",
            409,
            "variable_immutable",
            a -> {
              a.operator().setImmutable("imm_freeze", "v").apply();
              return a.operator().freeze("imm_freeze").body();
            }),
        new Refusal(
            "a public variable set hidden",
            409,
            "cannot_hide_public",
            a -> {
              a.operator().set("pub_hide", "v").apply();
              return a.operator().setHidden("pub_hide", "w").body();
            }),
        new Refusal(
            "llm_api_key set public (a credential is only ever sealed)",
            400,
            "credential_not_hidden",
            a -> a.operator().set("llm_api_key", "sk-or-v1-plaintext").body()),
        new Refusal(
            "a policy limit set hidden (refusals quote it)",
            409,
            "cannot_hide_public",
            a -> a.operator().setHidden("tx_max_value_wei", "1000").body()),
        new Refusal(
            "llm_base_url set hidden (every prompt answer names its provider)",
            409,
            "cannot_hide_public",
            a -> a.operator().setHidden("llm_base_url", "https://llm.example/v1").body()),
        new Refusal(
            "llm_model set hidden (every prompt answer names its model)",
            409,
            "cannot_hide_public",
            a -> a.operator().setHidden("llm_model", "openai/gpt-4o-mini").body()),
        new Refusal(
            "a reveal of a public variable",
            409,
            "not_hidden",
            a -> {
              a.operator().set("pub_reveal", "v").apply();
              return a.operator().reveal("pub_reveal").body();
            }),
        new Refusal(
            "a nonce already used",
            409,
            "stale_nonce",
            a -> {
              OperatorCommands ops = a.operator();
              return ops.nonce(nonceOf(a).subtract(BigInteger.ONE)).set("x", "v").body();
            }),
        new Refusal(
            "a nonce from the future",
            409,
            "stale_nonce",
            a -> a.operator().nonce(nonceOf(a).add(BigInteger.ONE)).set("x", "v").body()),
        new Refusal(
            "a deadline in the past",
            409,
            "deadline_expired",
            a -> a.operator().deadline(System.currentTimeMillis() / 1000 - 1).set("x", "v").body()),
        new Refusal(
            "a signature that is not 65 bytes",
            401,
            "bad_signature",
            a -> a.operator().set("x", "v").bodyTree().put("signature", "0x1234").toString()),
        new Refusal(
            "a high-s copy of a valid signature",
            401,
            "bad_signature",
            a -> {
              ObjectNode tree = a.operator().set("x", "v").bodyTree();
              return tree.put("signature", highS(tree.get("signature").asText())).toString();
            }),
        new Refusal(
            "a batch signed by another key",
            403,
            "not_operator",
            a -> a.operator().signedBy(SigningKey.generate(RANDOM)).set("x", "v").body()),
        new Refusal(
            "a batch without a signature",
            400,
            "missing_field",
            a -> {
              ObjectNode tree = a.operator().set("x", "v").bodyTree();
              tree.remove("signature");
              return tree.toString();
            }),
        new Refusal(
            "a command without a name",
            400,
            "missing_field",
            a -> {
              ObjectNode tree = a.operator().set("x", "v").bodyTree();
              ((ObjectNode) tree.get("commands").get(0)).remove("name");
              return tree.toString();
            }),
        new Refusal(
            "a command with an unknown member",
            400,
            "unknown_field",
            a -> {
              ObjectNode tree = a.operator().set("x", "v").bodyTree();
              ((ObjectNode) tree.get("commands").get(0)).put("note", "hi");
              return tree.toString();
            }),
        new Refusal(
            "a body with a duplicate key",
            400,
            "duplicate_key",
            a -> {
              String body = a.operator().set("x", "v").body();
              return body.replaceFirst("\\{", "{\"nonce\":\"0\",");
            }),
        new Refusal(
            "both commands and variables",
            400,
            "invalid_field",
            a -> {
              ObjectNode tree = a.operator().set("x", "v").bodyTree();
              tree.set("variables", tree.get("commands").deepCopy());
              return tree.toString();
            }),
        new Refusal(
            "a flag sent as a string",
            400,
            "invalid_field",
            a -> {
              ObjectNode tree = a.operator().set("x", "v").bodyTree();
              ((ObjectNode) tree.get("commands").get(0)).put("hidden", "false");
              return tree.toString();
            }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refusesWithItsOwnCodeASignedErrorAndNoChange(Refusal refusal) {
    String body = refusal.body().apply(agent);
    JsonNode before = state();

    TestAgent.Reply reply =
        agent.post("/api/v1/variables", body, Map.of("X-Client-Nonce", "refusal-check"));

    assertThat(reply.status()).as(reply.text()).isEqualTo(refusal.status());
    assertThat(reply.errorCode()).as(reply.text()).isEqualTo(refusal.code());
    assertThat(reply.verifiedSigner().checksummed()).isEqualTo(agent.address());
    JsonNode json = reply.json();
    assertThat(json.get("client_nonce").asText()).isEqualTo("refusal-check");
    assertThat(json.get("request").get("path").asText()).isEqualTo("/api/v1/variables");
    assertThat(state()).isEqualTo(before);
  }

  @Test
  void aBatchWithOneBadCommandAppliesNoneOfItsGoodOnes() {
    JsonNode before = state();
    TestAgent.Reply reply =
        agent
            .operator()
            .set("atomic_a", "1")
            .setHidden("atomic_b", "2")
            .set("tx_allowed_to", ",")
            .set("atomic_c", "3")
            .send();

    assertThat(reply.errorCode()).isEqualTo("empty_list_entry");
    assertThat(reply.json().get("error").get("message").asText()).startsWith("commands[2]");
    assertThat(state()).isEqualTo(before);
    assertThat(agent.get("/api/v1/variables/atomic_a").errorCode()).isEqualTo("variable_not_found");
  }

  @Test
  void aValueTheAgentCouldNotUseIsRefusedNamingTheVariableAndTheRuleNeverTheSecret() {
    TestAgent.Reply url =
        agent
            .operator()
            .set("url_neighbour", "1")
            .setImmutable("llm_base_url", "https://openrouter.ai/api/v1?x=1")
            .send();
    assertThat(url.json().at("/error/message").asText())
        .isEqualTo(
            "commands[1] (llm_base_url): the value must be "
                + WellKnownVariables.LLM_BASE_URL.rule());
    TestAgent.Reply key = agent.operator().setHidden("llm_api_key", "sk-or-v1 secret").send();
    assertThat(key.json().at("/error/message").asText())
        .startsWith("commands[0] (llm_api_key): the value must be ")
        .doesNotContain("secret");
    assertThat(agent.get("/api/v1/variables/llm_base_url").errorCode())
        .isEqualTo("variable_not_found");
  }

  @Test
  void refusesAnUnknownOrMalformedNameOnRead() {
    assertThat(agent.get("/api/v1/variables/nope_not_here").status()).isEqualTo(404);
    TestAgent.Reply bad = agent.get("/api/v1/variables/Not-A-Name");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.errorCode()).isEqualTo("invalid_variable_name");
    assertThat(bad.verifiedSigner().checksummed()).isEqualTo(agent.address());
  }

  /** Variables, nonce, state hash and the whole audit log. */
  private static JsonNode state() {
    ObjectNode state = agent.get("/api/v1/variables").json().deepCopy();
    for (String envelope : new String[] {"timestamp", "signature", "request", "client_nonce"}) {
      state.remove(envelope);
    }
    ArrayNode audit = (ArrayNode) agent.get("/api/v1/audit?limit=500").json().get("entries");
    state.set("audit", audit);
    return state;
  }

  private static BigInteger nonceOf(TestAgent a) {
    return new BigInteger(a.get("/api/v1/config").json().get("operator_nonce").asText());
  }

  private static VariableCommand hidden(String name, String value) {
    return VariableCommand.set(name, value, true, false);
  }

  /** 0x04 ‖ x ‖ y with y not matching x, then nonce, tag and data of a plausible size. */
  private static String offCurveCiphertext() {
    byte[] out = new byte[65 + 16 + 16 + 40];
    RANDOM.nextBytes(out);
    out[0] = 0x04;
    return hex(out);
  }

  private static String highS(String signature) {
    byte[] bytes = bytes(signature);
    BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(bytes, 32, 64));
    System.arraycopy(Numeric.toBytesPadded(Secp256k1.N.subtract(s), 32), 0, bytes, 32, 32);
    bytes[64] = (byte) (bytes[64] == 27 ? 28 : 27);
    return hex(bytes);
  }

  private static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex.substring(2));
  }

  private static String hex(byte[] bytes) {
    return "0x" + HexFormat.of().formatHex(bytes);
  }
}
