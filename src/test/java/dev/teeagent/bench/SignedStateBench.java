package dev.teeagent.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.crypto.Jcs;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.http.RequestEcho;
import dev.teeagent.http.ResponseSigner;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.json.SafeNumbers;
import dev.teeagent.json.WellFormed;
import dev.teeagent.testing.TestAgent;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the envelope's {@code state} member (rollback round) costs a signed answer: the agent's
 * signer, reading a live counter and audit head as {@code App} wires it, against the envelope as it
 * was before (the same members but {@code state}, canonicalized and signed with the same key),
 * series alternated in one run, for a small error answer and for the real {@code /config}.
 *
 * <p>Usage: bench/signed-state.sh [rounds, default 7] [operations per round, default 5000]
 */
public final class SignedStateBench {
  private SignedStateBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int ops = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
    ObjectMapper mapper = JsonMappers.strict();
    ObjectNode config;
    try (TestAgent agent = TestAgent.start()) {
      config = (ObjectNode) agent.get("/api/v1/config").json();
    }
    ResponseSigner.ENVELOPE_MEMBERS.forEach(config::remove);
    ObjectNode error = mapper.createObjectNode();
    error.putObject("error").put("code", "not_found").put("message", "no route GET /api/v1/x");
    SigningKey key = SigningKey.generate(new SecureRandom());
    AtomicLong counter = new AtomicLong(41);
    String head = "0x" + "ab".repeat(32);
    ResponseSigner withState =
        new ResponseSigner(
            "bench",
            key,
            Clock.systemUTC(),
            () -> new ResponseSigner.SignedState(counter.incrementAndGet(), 40, head));
    RequestEcho echo = new RequestEcho("GET", "/api/v1/config", null, null);

    Callable<?>[] series = {
      () -> before(key, error.deepCopy(), echo),
      () -> withState.sign(404, error.deepCopy(), echo, null),
      () -> before(key, config.deepCopy(), echo),
      () -> withState.sign(200, config.deepCopy(), echo, null)
    };
    double[][] nanos = new double[series.length][rounds];
    for (int round = -2; round < rounds; round++) { // two warm-up rounds
      for (int s = 0; s < series.length; s++) {
        double perOp = RequestBoundsBench.time(series[s], ops);
        if (round >= 0) {
          nanos[s][round] = perOp;
        }
      }
    }
    double[] median = Arrays.stream(nanos).mapToDouble(CustodyBench::median).toArray();
    report("error answer", withState.sign(404, error.deepCopy(), echo, null).length, median, 0);
    report("/config", withState.sign(200, config.deepCopy(), echo, null).length, median, 2);
  }

  /**
   * The envelope before the rollback round, step for step as the signer did it then (the payload
   * checks and repairs included): every member but {@code state}, canonicalized, signed, joined.
   */
  private static byte[] before(SigningKey key, ObjectNode payload, RequestEcho request) {
    for (String member : ResponseSigner.ENVELOPE_MEMBERS) {
      if (payload.has(member)) {
        throw new IllegalStateException(member);
      }
    }
    SafeNumbers.makeSafe(payload);
    WellFormed.repair(payload);
    payload.put("tee_name", "bench").put("signer", key.address().checksummed());
    payload.put("timestamp", System.currentTimeMillis()).put("status", 200);
    payload
        .putObject("request")
        .put("method", request.method())
        .put("path", request.path())
        .put("query", request.query())
        .put("body_hash", request.bodyHash());
    payload.putNull("client_nonce");
    byte[] canonical = Jcs.canonicalize(payload);
    byte[] tail =
        (",\"signature\":\"" + key.signPersonalMessage(canonical).toHex() + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    byte[] body = Arrays.copyOf(canonical, canonical.length - 1 + tail.length);
    System.arraycopy(tail, 0, body, canonical.length - 1, tail.length);
    return body;
  }

  private static void report(String what, int bytes, double[] median, int at) {
    System.out.printf(
        Locale.ROOT,
        "%s (%d bytes signed): before %.1f µs, with state %.1f µs = %.1f %%%n",
        what,
        bytes,
        median[at] / 1000,
        median[at + 1] / 1000,
        100 * median[at + 1] / median[at]);
  }
}
