package dev.teeagent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.crypto.Address;
import dev.teeagent.crypto.Eip712;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.error.AgentException;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.json.Uint256;
import dev.teeagent.transactions.SignRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code authorize}: adds the {@code authorization} (an EIP-712 SignRequest, DESIGN §5) to a {@code
 * POST /sign-transaction} body, for the operator or an address in {@code tx_api_signers}. The agent
 * is attested first, as for the operator commands, so the signature is made for the domain of the
 * attested agent only. Exit codes: 0 printed, 2 nothing was made.
 */
@Command(
    name = "authorize",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Add the operator's or an API signer's authorization to a POST /sign-transaction body"
          + " (from --body FILE or stdin) and print the authorized body."
    },
    footer = {
      "",
      "Example: ./tee-agent authorize --root scratch/simulated-root.pem --pcrs scratch/pcrs.json \\",
      "           --key-file scratch/operator.key --body scratch/eth-op.json > scratch/authorized.json",
      "Exit status: 0 printed, 2 nothing was made (usage, attestation, key or body problems)."
    })
final class AuthorizeCommand implements Callable<Integer> {
  private static final BigInteger DEFAULT_MAX_FEE_WEI = new BigInteger("1000000000000000");

  @Mixin OperatorOptions options;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--body",
      paramLabel = "FILE",
      description = "The sign-transaction body (default: read from stdin).")
  Path body;

  @Option(
      names = "--max-fee-wei",
      paramLabel = "WEI",
      description =
          "Cap on gas limit × max fee per gas the agent may fill in (default: 10^15 wei).")
  String maxFeeWei;

  @Option(
      names = "--chain-id",
      paramLabel = "ID",
      description = "Add this chain_id to a body that has none (an authorization signs the chain).")
  String chainId;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    try {
      ObjectMapper mapper = JsonMappers.strict();
      ObjectNode request = requestBody(mapper);
      SignRequestDraft draft = draft(request);
      SigningKey key = options.operatorKey(TeeAgentCli.environment(spec));
      AgentClient client = new AgentClient(options.url, mapper, options.timeout);
      AgentAttester.AttestedAgent agent =
          options.attest(client, Clock.systemUTC(), new SecureRandom(), err);
      AgentClient.Answer answer = client.get("/config");
      if (!answer.signer().orElseThrow().equals(agent.address())) {
        throw new CliFailure("the agent's /config is not signed by the attested key");
      }
      JsonNode config = answer.json();
      BigInteger nonce = nonceOf(client, config, key.address());
      BigInteger deadline =
          BigInteger.valueOf(Clock.systemUTC().instant().plus(options.deadline).getEpochSecond());
      SignRequest signed =
          new SignRequest(
              draft.to(),
              draft.value(),
              draft.data(),
              draft.chainId(),
              draft.maxFeeWei(),
              draft.broadcast(),
              nonce,
              deadline);
      Eip712.Domain domain = Eip712.Domain.of(config.path("tee_name").asText(), agent.address());
      String signature = key.signDigest(signed.digest(domain)).toHex();
      request
          .putObject("authorization")
          .put("nonce", nonce.toString())
          .put("deadline", deadline.toString())
          .put("max_fee_wei", draft.maxFeeWei().toString())
          .put("signature", signature);
      spec.commandLine().getOut().println(mapper.writeValueAsString(request));
      spec.commandLine().getOut().flush();
      err.println(
          "authorized by "
              + key.address()
              + " with nonce "
              + nonce
              + ", valid until "
              + deadline
              + " (unix seconds)");
      return 0;
    } catch (CliFailure e) {
      err.println("tee-agent authorize: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("tee-agent authorize: cannot print the authorized body");
      return 2;
    } finally {
      err.flush();
    }
  }

  /** The members an authorization signs, read from the body as the agent will read them. */
  record SignRequestDraft(
      Address to,
      BigInteger value,
      String data,
      BigInteger chainId,
      BigInteger maxFeeWei,
      boolean broadcast) {}

  private ObjectNode requestBody(ObjectMapper mapper) throws CliFailure {
    byte[] bytes;
    String where = body == null ? "the body on stdin" : "--body " + body;
    if (body == null) {
      try {
        bytes = System.in.readAllBytes();
      } catch (IOException e) {
        throw new CliFailure("cannot read the body from stdin");
      }
    } else {
      bytes = UserFiles.read("--body", body);
    }
    JsonNode parsed;
    try {
      parsed = mapper.readTree(new String(bytes, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new CliFailure(where + " is not JSON: give a POST /sign-transaction body");
    }
    if (!(parsed instanceof ObjectNode object) || !object.path("transaction").isObject()) {
      throw new CliFailure(
          where + " has no \"transaction\" object: give a POST /sign-transaction body");
    }
    if (object.has("authorization")) {
      throw new CliFailure(where + " already carries an authorization; give the body without it");
    }
    return object;
  }

  private SignRequestDraft draft(ObjectNode request) throws CliFailure {
    JsonNode tx = request.path("transaction");
    if (!request.has("chain_id")) {
      if (chainId == null) {
        throw new CliFailure(
            "the body has no chain_id, and an authorization signs the chain: add \"chain_id\": N"
                + " to the body, or --chain-id N");
      }
      request.put("chain_id", chainId);
    }
    try {
      if (!tx.path("to").isTextual()) {
        throw new CliFailure("transaction.to is required: an authorization names the recipient");
      }
      String data = tx.path("data").isMissingNode() ? "0x" : tx.path("data").asText();
      return new SignRequestDraft(
          Address.parse(tx.path("to").asText()),
          tx.has("value") ? Uint256.fromJson(tx.get("value")).value() : BigInteger.ZERO,
          data,
          Uint256.fromJson(request.get("chain_id")).value(),
          maxFeeWei == null ? DEFAULT_MAX_FEE_WEI : Uint256.parse(maxFeeWei).value(),
          !request.has("broadcast") || request.get("broadcast").asBoolean(true));
    } catch (AgentException e) {
      throw new CliFailure("the body cannot be authorized: " + e.clientMessage());
    } catch (IllegalArgumentException e) {
      throw new CliFailure("the body cannot be authorized: transaction.to is not an address");
    }
  }

  /**
   * The next nonce the agent expects from this key: the operator's, or an API signer's (which must
   * be listed in tx_api_signers, or the agent would refuse the authorization).
   */
  private static BigInteger nonceOf(AgentClient client, JsonNode config, Address signer)
      throws CliFailure {
    if (signer.sameAs(config.path("operator").asText())) {
      return new BigInteger(config.path("operator_nonce").asText("0"));
    }
    AgentClient.Answer listed = client.get("/variables/tx_api_signers");
    String signers = listed.json().path("variable").path("value").asText("");
    boolean allowed =
        Arrays.stream(signers.split(",")).anyMatch(entry -> signer.sameAs(entry.strip()));
    if (!allowed) {
      throw new CliFailure(
          "the key's address "
              + signer
              + " is neither the agent's operator nor in tx_api_signers ("
              + (signers.isEmpty() ? "none" : signers)
              + "): the agent would refuse its authorization");
    }
    var nonces = config.path("signer_nonces").properties();
    for (var entry : nonces) {
      if (signer.sameAs(entry.getKey())) {
        return new BigInteger(entry.getValue().asText("0"));
      }
    }
    return BigInteger.ZERO;
  }
}
