package dev.teeagent.bench;

import dev.teeagent.crypto.Eip712;
import dev.teeagent.crypto.EthSignature;
import dev.teeagent.crypto.Secp256k1;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.json.Uint256;
import dev.teeagent.variables.AgentState;
import dev.teeagent.variables.CommandBatch;
import dev.teeagent.variables.HiddenValues;
import dev.teeagent.variables.SignedCommandBatch;
import dev.teeagent.variables.VariableCommand;
import dev.teeagent.variables.VariableRules;
import dev.teeagent.variables.VariableService;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * Accepted operator commands per second through {@link VariableService} (EIP-712 hashing, signature
 * recovery, operator check, rules, audit entry, state hash), against bare ecrecover of one digest
 * in the same run. Single thread; batches are signed before timing starts. Run with
 * bench/variables.sh.
 */
public final class VariablesBench {
  private static final int ROUNDS = 5;
  private static final SecureRandom RANDOM = new SecureRandom();

  private VariablesBench() {}

  public static void main(String[] args) {
    int batches = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    // One INFO line per accepted batch would measure the console, not the agent.
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.teeagent"))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    SigningKey operator = SigningKey.generate(RANDOM);
    byte[] digest = new byte[32];
    RANDOM.nextBytes(digest);
    EthSignature signature = operator.signDigest(digest);

    double ecrecover =
        median(
            () -> {
              long start = System.nanoTime();
              for (int i = 0; i < batches; i++) {
                if (Secp256k1.recoverAddress(digest, signature).isEmpty()) {
                  throw new AssertionError();
                }
              }
              return batches / seconds(start);
            });
    System.out.printf(
        Locale.ROOT, "%-44s %10.0f ops/s%n", "baseline: ecrecover (one digest)", ecrecover);
    report("1 public set per batch", operator, batches, 1, false, ecrecover);
    report("10 public sets per batch", operator, batches / 5, 10, false, ecrecover);
    report("1 hidden set per batch (ECIES decrypt)", operator, batches / 2, 1, true, ecrecover);
    double again =
        median(
            () -> {
              long start = System.nanoTime();
              for (int i = 0; i < batches; i++) {
                Secp256k1.recoverAddress(digest, signature);
              }
              return batches / seconds(start);
            });
    System.out.printf(
        Locale.ROOT, "%-44s %10.0f ops/s (drift check)%n", "baseline again: ecrecover", again);
  }

  private static void report(
      String label, SigningKey operator, int batches, int perBatch, boolean hidden, double base) {
    double commandsPerSecond = median(() -> run(operator, batches, perBatch, hidden) * perBatch);
    System.out.printf(
        Locale.ROOT,
        "%-44s %10.0f commands/s  (%.2f x ecrecover)%n",
        label,
        commandsPerSecond,
        commandsPerSecond / base);
  }

  /** Batches per second accepted by a fresh agent state. */
  private static double run(SigningKey operator, int batches, int perBatch, boolean hidden) {
    SigningKey agentKey = SigningKey.generate(RANDOM);
    Eip712.Domain domain = new Eip712.Domain("bench", "1", agentKey.address());
    AgentState state =
        new AgentState(
            new VariableRules(new HiddenValues(agentKey)), Clock.systemUTC(), JsonMappers.strict());
    VariableService service =
        new VariableService(
            domain, operator.address(), state, Clock.systemUTC(), JsonMappers.strict());
    BigInteger deadline = BigInteger.valueOf(System.currentTimeMillis() / 1000 + 3600);
    IntFunction<VariableCommand> command =
        i -> {
          String name = "var_" + (i % 16);
          return hidden
              ? VariableCommand.set(
                  name,
                  HiddenValues.seal(
                      agentKey.publicKey(), agentKey.address(), name, "v" + i, RANDOM),
                  true,
                  false)
              : VariableCommand.set(name, "value-" + i, false, false);
        };
    List<SignedCommandBatch> signed = new ArrayList<>(batches);
    for (int b = 0; b < batches; b++) {
      List<VariableCommand> commands = new ArrayList<>(perBatch);
      for (int c = 0; c < perBatch; c++) {
        commands.add(command.apply(b * perBatch + c));
      }
      CommandBatch batch = new CommandBatch(commands, BigInteger.valueOf(b), deadline);
      signed.add(
          new SignedCommandBatch(
              commands,
              new Uint256(batch.nonce()),
              new Uint256(deadline),
              operator.signDigest(batch.digest(domain)).toHex()));
    }
    long start = System.nanoTime();
    for (SignedCommandBatch batch : signed) {
      service.submit(batch);
    }
    return batches / seconds(start);
  }

  private static double median(java.util.function.DoubleSupplier round) {
    for (int i = 0; i < 3; i++) {
      double _ = round.getAsDouble(); // warm-up: let the JIT compile the hot paths first
    }
    double[] results = new double[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
      results[i] = round.getAsDouble();
    }
    Arrays.sort(results);
    return results[ROUNDS / 2];
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
