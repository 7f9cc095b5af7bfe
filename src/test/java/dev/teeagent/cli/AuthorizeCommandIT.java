package dev.teeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.testing.Anvil;
import dev.teeagent.testing.ExternalCommand;
import dev.teeagent.testing.StartedAgent;
import dev.teeagent.testing.TestAgent;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code authorize} makes authorizations the real agent accepts on a real chain (anvil), for the
 * operator and for an API signer, and refuses what it cannot authorize before signing anything.
 */
class AuthorizeCommandIT {
  private static final ObjectMapper MAPPER = JsonMappers.strict();
  private static final String API_SIGNER_KEY =
      "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";
  private static Anvil anvil;
  @StartedAgent private static TestAgent agent;
  @TempDir static Path dir;
  private static Path root;

  @BeforeAll
  static void start() throws IOException {
    anvil = Anvil.start();
    anvil.setBalance(agent.address(), BigInteger.TEN.pow(20));
    root = Files.writeString(dir.resolve("root.pem"), agent.simulatedRootPem());
    agent
        .operator()
        .set("tx_api_signers", SigningKey.fromPrivateKeyHex(API_SIGNER_KEY).address().checksummed())
        .set("tx_max_value_wei", "10")
        .set("tx_budget_wei", "10000000000000000")
        .set("tx_allowed_rpc_urls", anvil.rpcUrl())
        .apply();
  }

  @AfterAll
  static void stop() {
    anvil.close();
  }

  record Run(int exit, String out, String err) {}

  private static Run authorize(String keyHex, String body, String... more) throws IOException {
    Path key = Files.writeString(Files.createTempFile(dir, "key", ".txt"), keyHex);
    Path bodyFile = Files.writeString(Files.createTempFile(dir, "body", ".json"), body);
    List<String> args =
        new ArrayList<>(
            List.of(
                "authorize",
                "--url",
                agent.baseUrl(),
                "--root",
                root.toString(),
                "--key-file",
                key.toString(),
                "--body",
                bodyFile.toString()));
    args.addAll(List.of(more));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = args.toArray(String[]::new);
    int exit =
        TeeAgentCli.commandLine(all)
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(all);
    return new Run(exit, out.toString(), err.toString());
  }

  private static String transfer(boolean withChainId) {
    var body =
        MAPPER
            .createObjectNode()
            .put("rpc_url", anvil.rpcUrl())
            .set(
                "transaction",
                MAPPER
                    .createObjectNode()
                    .put("to", "0x86693CbE3f2581DF512635823F46f0d593D96dbA")
                    .put("value", 5));
    if (withChainId) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) body).put("chain_id", Anvil.CHAIN_ID);
    }
    return body.toString();
  }

  @Test
  void theOperatorsAuthorizationIsAcceptedOnceByTheAgent() throws IOException {
    Run run = authorize(TestAgent.OPERATOR_KEY, transfer(true));
    assertThat(run.exit()).as(run.err()).isZero();
    TestAgent.Reply reply = agent.post("/api/v1/sign-transaction", run.out().strip());
    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    assertThat(reply.json().get("mode").asText()).isEqualTo("operator");
    assertThat(agent.post("/api/v1/sign-transaction", run.out().strip()).errorCode())
        .isEqualTo("stale_nonce");
  }

  @Test
  void anApiSignersAuthorizationIsAcceptedAndChainIdCanBeGivenAsAFlag() throws IOException {
    Run run = authorize(API_SIGNER_KEY, transfer(false), "--chain-id", "31337");
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode authorized = MAPPER.readTree(run.out());
    assertThat(authorized.get("chain_id").asText()).isEqualTo("31337");
    TestAgent.Reply reply = agent.post("/api/v1/sign-transaction", run.out().strip());
    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    assertThat(reply.json().get("mode").asText()).isEqualTo("api_signer");
  }

  @Test
  void theShippedNodeScriptPrintsHelpAndRefusesABodyWithoutChainIdWithoutCrashing()
      throws IOException {
    ExternalCommand.Result help =
        ExternalCommand.of("node", "scripts/authorize-transaction.mjs", "--help").run();
    assertThat(help.exitCode()).as(help.output()).isZero();
    assertThat(help.stdout()).startsWith("usage: TEE_SIGNER_KEY=0x… node scripts/");

    Path body = Files.writeString(dir.resolve("no-chain.json"), transfer(false));
    ExternalCommand.Result noChain =
        ExternalCommand.of("bash", "-c", "node scripts/authorize-transaction.mjs < " + body)
            .env("TEE_SIGNER_KEY", TestAgent.OPERATOR_KEY)
            .run();
    assertThat(noChain.exitCode()).isEqualTo(2);
    assertThat(noChain.stderr())
        .isEqualTo(
            "authorize-transaction: the body has no chain_id, and an authorization signs the"
                + " chain: add \"chain_id\": N to the body\n");
  }

  @Test
  void refusesWhatItCannotAuthorizeWithASentenceAndSignsNothing() throws IOException {
    Run noChain = authorize(TestAgent.OPERATOR_KEY, transfer(false));
    assertThat(noChain.exit()).isEqualTo(2);
    assertThat(noChain.out()).isEmpty();
    assertThat(noChain.err())
        .isEqualTo(
            "tee-agent authorize: the body has no chain_id, and an authorization signs the chain:"
                + " add \"chain_id\": N to the body, or --chain-id N\n");

    Run notJson = authorize(TestAgent.OPERATOR_KEY, "to: 0x86…");
    assertThat(notJson.err()).startsWith("tee-agent authorize: --body ").contains("is not JSON");

    String stranger = "0x" + "11".repeat(32);
    Run unknownSigner = authorize(stranger, transfer(true));
    assertThat(unknownSigner.exit()).isEqualTo(2);
    assertThat(unknownSigner.err())
        .contains("is neither the agent's operator nor in tx_api_signers")
        .contains("the agent would refuse its authorization");
    assertThat(unknownSigner.out()).isEmpty();
  }
}
