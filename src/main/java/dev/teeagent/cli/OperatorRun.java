package dev.teeagent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.json.UntrustedText;
import dev.teeagent.variables.SignedCommandBatch;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

/**
 * The flow every operator subcommand shares: load the key, verify the agent's attestation, sign the
 * batch for it, then {@link #finish} (send it, or print it). Exit codes: 0 accepted (or printed), 1
 * refused by the agent (its signed error is printed), 2 nothing was sent.
 */
abstract class OperatorRun implements Callable<Integer> {
  @Mixin OperatorOptions options;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /**
   * Made in {@link #call()}, not at construction: picocli builds every subcommand whenever the jar
   * starts, {@code serve} included, and a mapper per subcommand is a noticeable part of that.
   */
  ObjectMapper mapper;

  /** The commands of this batch, values in clear. */
  abstract List<OperatorSession.Entry> entries() throws CliFailure;

  /** Sends (or prints) the signed batch; returns the exit code. */
  int finish(OperatorSession session, SignedCommandBatch batch) throws CliFailure {
    AgentClient.Answer answer = session.send(batch);
    out().println(answer.text());
    out().flush();
    if (answer.status() == 200) {
      err()
          .println(
              "accepted: nonce "
                  + batch.nonce()
                  + ", next operator nonce "
                  + answer.json().path("operator_nonce").asText()
                  + ", state_hash "
                  + answer.json().path("state_hash").asText());
      return 0;
    }
    err()
        .println(
            "refused ("
                + answer.status()
                + " "
                + UntrustedText.quote(answer.json().path("error").path("code").asText(), 64)
                + "): "
                + UntrustedText.quote(answer.json().path("error").path("message").asText(), 500));
    return 1;
  }

  @Override
  public Integer call() {
    mapper = JsonMappers.strict();
    SecureRandom random = new SecureRandom();
    Clock clock = Clock.systemUTC();
    try {
      List<OperatorSession.Entry> entries = entries();
      SigningKey key = options.operatorKey(TeeAgentCli.environment(spec));
      AgentClient client = new AgentClient(options.url, mapper, options.timeout);
      AgentAttester.AttestedAgent agent = options.attest(client, clock, random, err());
      OperatorSession session = new OperatorSession(client, agent, key, mapper, random, clock);
      return finish(session, session.sign(entries, options.deadline));
    } catch (CliFailure e) {
      err().println("tee-agent operator: " + e.getMessage());
      return 2;
    } finally {
      err().flush();
    }
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
