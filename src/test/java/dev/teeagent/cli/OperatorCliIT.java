package dev.teeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.testing.AgentJar;
import dev.teeagent.testing.NodeScript;
import dev.teeagent.testing.StartedAgent;
import dev.teeagent.testing.TestAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar's {@code operator} commands against a real (simulated-attestation) agent. */
class OperatorCliIT {
  private static final ObjectMapper MAPPER = JsonMappers.strict();
  @StartedAgent private static TestAgent agent;
  @TempDir static Path dir;
  private static Path keyFile;
  private static Path root;

  @BeforeAll
  static void writeKeyAndRoot() throws Exception {
    keyFile = Files.writeString(dir.resolve("operator.key"), TestAgent.OPERATOR_KEY + "\n");
    root = Files.writeString(dir.resolve("root.pem"), agent.simulatedRootPem());
  }

  record Run(int exit, String out, String err) {
    JsonNode json() {
      try {
        return MAPPER.readTree(out);
      } catch (Exception e) {
        throw new AssertionError("not JSON: " + out + "\nstderr: " + err, e);
      }
    }
  }

  private static Run operator(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("operator"));
    command.addAll(List.of(args));
    // stdout (the signed answer) and stderr (the report) are checked apart.
    ProcessBuilder builder =
        AgentJar.command(env, command.toArray(String[]::new)).redirectErrorStream(false);
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static List<String> common(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--url",
                agent.baseUrl(),
                "--root",
                root.toString(),
                "--key-file",
                keyFile.toString()));
    args.addAll(List.of(more));
    return args;
  }

  private static String nonce() {
    return agent.get("/api/v1/config").json().get("operator_nonce").asText();
  }

  @Test
  void setsAHiddenKeyAndAPublicValueInOneBatchAndPrintsTheSignedAnswer() throws Exception {
    // Not llm_api_key: its rule (printable ASCII, no spaces) would refuse this UTF-8 text at set
    // time, and the point here is that the file's text arrives whole.
    Path secret = Files.writeString(dir.resolve("key.txt"), "sk-or-v1-cli-secret ✓\n");
    List<String> args = new ArrayList<>(List.of("set"));
    args.addAll(
        common(
            "--name",
            "cli_api_key",
            "--value-file",
            secret.toString(),
            "--hidden",
            "--name",
            "llm_model",
            "--value",
            "openai/gpt-4o-mini"));

    Run run = operator(Map.of(), args.toArray(String[]::new));

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).contains("attested agent " + agent.address());
    JsonNode answer = run.json();
    assertThat(answer.get("signer").asText()).isEqualTo(agent.address());
    assertThat(answer.get("commands").asInt()).isEqualTo(2);
    assertThat(run.out()).doesNotContain("sk-or-v1-cli-secret");
    JsonNode hidden = agent.get("/api/v1/variables/cli_api_key").json().get("variable");
    assertThat(hidden.get("hidden").asBoolean()).isTrue();
    assertThat(hidden.get("value").isNull()).isTrue();

    // The sealed value decrypts to the file's text without its trailing newline.
    agent.operator().reveal("cli_api_key").apply();
    assertThat(
            agent.get("/api/v1/variables/cli_api_key").json().get("variable").get("value").asText())
        .isEqualTo("sk-or-v1-cli-secret ✓");
  }

  @Test
  void freezesRevealsAndDeletesByNameAndReadsTheKeyFromTheEnvironment() throws Exception {
    agent.operator().set("cli_a", "1").set("cli_b", "2").apply();
    Run freeze =
        operator(
            Map.of(OperatorOptions.KEY_ENV, TestAgent.OPERATOR_KEY),
            "freeze",
            "--url",
            agent.baseUrl(),
            "--root",
            root.toString(),
            "--name",
            "cli_a");
    assertThat(freeze.exit()).as(freeze.err()).isZero();
    Run delete = operator(Map.of(), withFunction("delete", "--name", "cli_b"));
    assertThat(delete.exit()).as(delete.err()).isZero();
    assertThat(
            agent
                .get("/api/v1/variables/cli_a")
                .json()
                .get("variable")
                .get("immutable")
                .asBoolean())
        .isTrue();
    assertThat(agent.get("/api/v1/variables/cli_b").errorCode()).isEqualTo("variable_not_found");
  }

  @Test
  void printsTheAgentsSignedRefusalAndExitsWithOne() throws Exception {
    agent.operator().setImmutable("cli_frozen", "v").apply();
    Run run = operator(Map.of(), withFunction("set", "--name", "cli_frozen", "--value", "w"));
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.json().get("error").get("code").asText()).isEqualTo("variable_immutable");
    assertThat(run.json().get("signer").asText()).isEqualTo(agent.address());
  }

  @Test
  void signPrintsASeedShapeBatchThatEthersVerifiesAndTheAgentAccepts() throws Exception {
    Run run =
        operator(
            Map.of(),
            withFunction(
                "sign",
                "--seed-shape",
                "--name",
                "seed_x",
                "--value",
                "1",
                "--name",
                "seed_y",
                "--value",
                "two"));
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode body = run.json();
    assertThat(body.has("variables")).isTrue();
    assertThat(body.get("nonce").asText()).isEqualTo(nonce());

    // ethers.verifyTypedData over the seed shape with its documented defaults filled in.
    ObjectNode batch = MAPPER.createObjectNode();
    ArrayNode commands = batch.putArray("commands");
    for (JsonNode variable : body.get("variables")) {
      commands
          .addObject()
          .put("function", "set")
          .put("name", variable.get("name").asText())
          .put("value", variable.get("value").asText())
          .put("hidden", false)
          .put("immutable", false);
    }
    batch.set("nonce", body.get("nonce"));
    batch.set("deadline", body.get("deadline"));
    ObjectNode input = MAPPER.createObjectNode();
    input.set("domain", agent.get("/api/v1/config").json().get("eip712_domain"));
    input.set("batch", batch);
    input.set("signature", body.get("signature"));
    JsonNode verified =
        MAPPER.readTree(NodeScript.run("eip712-batch.mjs", input.toString(), "verify"));
    assertThat(verified.get("recovered").asText()).isEqualTo(TestAgent.OPERATOR.checksummed());

    TestAgent.Reply posted = agent.post("/api/v1/variables", run.out().strip());
    assertThat(posted.status()).as(posted.text()).isEqualTo(200);
  }

  @Test
  void signedHiddenBatchesVerifyWithEthersToo() throws Exception {
    Run run =
        operator(
            Map.of(),
            withFunction(
                "sign", "--name", "cli_hidden", "--value", "s3cret", "--hidden", "--immutable"));
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode body = run.json();
    ObjectNode input = MAPPER.createObjectNode();
    input.set("domain", agent.get("/api/v1/config").json().get("eip712_domain"));
    ObjectNode batch = input.putObject("batch");
    batch.set("commands", body.get("commands"));
    batch.set("nonce", body.get("nonce"));
    batch.set("deadline", body.get("deadline"));
    input.set("signature", body.get("signature"));
    JsonNode verified =
        MAPPER.readTree(NodeScript.run("eip712-batch.mjs", input.toString(), "verify"));
    assertThat(verified.get("recovered").asText()).isEqualTo(TestAgent.OPERATOR.checksummed());
    assertThat(run.out()).doesNotContain("s3cret");
  }

  @Test
  void sendsNothingWhenTheAttestationDoesNotVerifyOrTheKeyIsMissingOrWrong() throws Exception {
    String before = nonce();
    Path otherRoot;
    try (TestAgent other = TestAgent.start()) {
      otherRoot = Files.writeString(dir.resolve("other-root.pem"), other.simulatedRootPem());
    }
    Run wrongRoot =
        setOneVariable("--root", otherRoot.toString(), "--key-file", keyFile.toString());
    assertThat(wrongRoot.exit()).isEqualTo(2);
    assertThat(wrongRoot.err())
        .isEqualTo(
            "tee-agent operator: the agent's attestation does not lead to the root in --root "
                + otherRoot
                + ": each start of a simulated agent makes a new root, so give the file the"
                + " running agent wrote (make run writes scratch/simulated-root.pem)\n");

    Run awsWithoutPcrs = setOneVariable("--key-file", keyFile.toString());
    assertThat(awsWithoutPcrs.exit()).isEqualTo(2);
    assertThat(awsWithoutPcrs.err()).contains("--pcrs");

    Run noKey = setOneVariable("--root", root.toString());
    assertThat(noKey.exit()).isEqualTo(2);
    assertThat(noKey.err()).contains(OperatorOptions.KEY_ENV);

    Path notOperator =
        Files.writeString(
            dir.resolve("other.key"),
            "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
    Run wrongKey = setOneVariable("--root", root.toString(), "--key-file", notOperator.toString());
    assertThat(wrongKey.exit()).isEqualTo(2);
    assertThat(wrongKey.err()).contains("operator is " + TestAgent.OPERATOR.checksummed());

    assertThat(nonce()).isEqualTo(before);
  }

  /** {@code operator set --url <agent> <trust and key options> --name x --value 1}. */
  private static Run setOneVariable(String... trustAndKey) throws Exception {
    List<String> args = new ArrayList<>(List.of("set", "--url", agent.baseUrl()));
    args.addAll(List.of(trustAndKey));
    args.addAll(List.of("--name", "x", "--value", "1"));
    return operator(Map.of(), args.toArray(String[]::new));
  }

  private static String[] withFunction(String function, String... more) {
    List<String> args = new ArrayList<>(List.of(function));
    args.addAll(common(more));
    return args.toArray(String[]::new);
  }
}
