package dev.teeagent.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.crypto.Address;
import dev.teeagent.crypto.Eip712;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.custody.SealedIdentity;
import dev.teeagent.custody.SealedSnapshot;
import dev.teeagent.http.RequestEcho;
import dev.teeagent.http.ResponseSigner;
import dev.teeagent.identity.AtomicFiles;
import dev.teeagent.identity.StateDocument;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.transactions.NonceTracker;
import dev.teeagent.transactions.SignerNonces;
import dev.teeagent.transactions.TransactionPolicy;
import dev.teeagent.variables.AgentState;
import dev.teeagent.variables.HiddenValues;
import dev.teeagent.variables.VariableCommand;
import dev.teeagent.variables.VariableRules;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What storing the sealed state costs per accepted change (what {@code serve --state-dir} adds
 * before each 200): capture the state document, seal it (AES-256-GCM), write it atomically (temp
 * file, fsync, rename, fsync of the folder), at an audit log of 100 and of 1000 entries, against
 * signing one answer in the same run (and the capture alone, to show what the fsyncs take). Run
 * with bench/sealed-state.sh [rounds] [folder].
 */
public final class SealedStateBench {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ObjectMapper MAPPER = JsonMappers.strict();

  private SealedStateBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
    Path folder =
        Files.createTempDirectory(
            args.length > 1 ? Path.of(args[1]) : Path.of("target"), "sealed-bench");
    SigningKey agentKey = SigningKey.generate(RANDOM);
    ResponseSigner signer = new ResponseSigner("bench", agentKey, Clock.systemUTC());
    RequestEcho echo = new RequestEcho("GET", "/api/v1/health", "", "");
    byte[] dataKey = new byte[32];
    RANDOM.nextBytes(dataKey);
    SealedIdentity who = new SealedIdentity("bench", "0x1111111111111111111111111111111111111111");
    Map<String, CustodyBench.Op> ops = new LinkedHashMap<>();
    ops.put(CustodyBench.BASELINE, CustodyBench.signingOneAnswer(signer, echo));
    for (int entries : new int[] {100, 1000}) {
      StateDocument document = new StateDocument(parts(agentKey, entries), MAPPER, RANDOM);
      Path file = folder.resolve("identity-" + entries + ".sealed");
      ops.put("capture only, " + entries + " audit entries", document::capture);
      ops.put(
          "store state, " + entries + " audit entries",
          () -> {
            byte[] key = agentKey.privateKeyForSealing();
            AtomicFiles.write(
                file, SealedSnapshot.seal(dataKey, who, 2, key, document.capture(), RANDOM));
          });
    }
    Map<String, double[]> perRound = new LinkedHashMap<>();
    ops.keySet().forEach(name -> perRound.put(name, new double[rounds]));
    for (int round = -2; round < rounds; round++) {
      for (Map.Entry<String, CustodyBench.Op> op : ops.entrySet()) {
        double seconds = CustodyBench.time(op.getValue());
        if (round >= 0) {
          perRound.get(op.getKey())[round] = seconds;
        }
      }
    }
    double base = CustodyBench.median(perRound.values().iterator().next());
    perRound.forEach(
        (name, values) ->
            System.out.printf(
                Locale.ROOT,
                "%-42s %10.1f µs   %8.2f x signing one answer%n",
                name,
                CustodyBench.median(values) * 1e6,
                CustodyBench.median(values) / base));
  }

  /** A state of 10 variables (2 hidden) and {@code entries} audit entries of one command each. */
  private static StateDocument.Parts parts(SigningKey agentKey, int entries) {
    AgentState state =
        new AgentState(new VariableRules(new HiddenValues(agentKey)), Clock.systemUTC(), MAPPER);
    for (int i = 0; i < entries; i++) {
      boolean hidden = i < 2;
      String name = "bench_" + (i % 10);
      String value =
          hidden
              ? HiddenValues.seal(
                  agentKey.publicKey(), agentKey.address(), name, "secret-" + i, RANDOM)
              : "value-" + i;
      state.applyBatch(
          BigInteger.valueOf(i),
          List.of(VariableCommand.set(name, value, hidden, false)),
          MAPPER.createObjectNode().put("name", name).put("value", hidden ? null : value));
    }
    SignerNonces signers = new SignerNonces();
    Address operator = Address.parse("0x1111111111111111111111111111111111111111");
    TransactionPolicy policy =
        new TransactionPolicy(
            state,
            operator,
            new Eip712.Domain("bench", "1", agentKey.address()),
            state::operatorNonce,
            signers,
            Clock.systemUTC());
    return new StateDocument.Parts(agentKey, state, signers, new NonceTracker(), policy);
  }
}
