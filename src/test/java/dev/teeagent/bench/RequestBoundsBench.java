package dev.teeagent.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.crypto.Utf8;
import dev.teeagent.http.RequestEcho;
import dev.teeagent.http.ResponseSigner;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.json.RequestJson;
import dev.teeagent.json.WellFormed;
import dev.teeagent.prompt.PromptRequest;
import dev.teeagent.testing.PromptBody;
import dev.teeagent.testing.TestAgent;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * What the bounds of issue 10 cost per request, each against its baseline in the same run, series
 * alternated: parsing a /prompt-shaped body with the bounded mapper and the lone-surrogate scan
 * against the plain strict mapper; and, for a signed answer (the real /config payload), the
 * surrogate repair plus the strict UTF-8 encoder against the whole signing.
 *
 * <p>Usage: bench/bounds.sh [rounds, default 7] [operations per round, default 20000]
 */
public final class RequestBoundsBench {
  // Written, never read: keeps the JIT from dropping the measured work.
  @SuppressWarnings("UnusedVariable")
  private static volatile Object sink;

  private RequestBoundsBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int ops = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    ObjectMapper strict = JsonMappers.strict();
    ObjectMapper bounded = RequestJson.bounded(100_000, 64);
    byte[] prompt =
        PromptBody.ask("What is the weather in Paris today, and should I take an umbrella?")
            .system("Answer in one line.")
            .weatherTool()
            .json()
            .getBytes(StandardCharsets.UTF_8);
    ObjectNode config;
    try (TestAgent agent = TestAgent.start()) {
      config = (ObjectNode) agent.get("/api/v1/config").json();
    }
    ResponseSigner.ENVELOPE_MEMBERS.forEach(config::remove);
    ResponseSigner signer =
        new ResponseSigner("bench", SigningKey.generate(new SecureRandom()), Clock.systemUTC());
    RequestEcho echo = new RequestEcho("GET", "/api/v1/config", null, null);
    String canonical = new String(signer.sign(200, config.deepCopy(), echo, null));

    Callable<Object> plainParse = () -> strict.readValue(prompt, PromptRequest.class);
    Callable<Object> boundedParse =
        () -> {
          RequestJson.firstLoneSurrogate(bounded, prompt);
          return bounded.readValue(prompt, PromptRequest.class);
        };
    Callable<Object> sign = () -> signer.sign(200, config.deepCopy(), echo, null);
    Callable<Object> copyOnly = config::deepCopy;
    Callable<Object> repair =
        () -> {
          ObjectNode copy = config.deepCopy();
          WellFormed.repair(copy);
          return copy;
        };
    Callable<Object> getBytes = () -> canonical.getBytes(StandardCharsets.UTF_8);
    Callable<Object> strictBytes = () -> Utf8.strict(canonical);

    Callable<?>[] series = {
      plainParse, boundedParse, sign, copyOnly, repair, getBytes, strictBytes
    };
    double[][] nanos = new double[series.length][rounds];
    for (int round = -2; round < rounds; round++) { // two warm-up rounds
      for (int s = 0; s < series.length; s++) {
        double perOp = time(series[s], ops);
        if (round >= 0) {
          nanos[s][round] = perOp;
        }
      }
    }
    double[] median = Arrays.stream(nanos).mapToDouble(RequestBoundsBench::median).toArray();
    System.out.printf(
        Locale.ROOT,
        "prompt-shaped body (%d bytes): strict %.1f µs, bounded + scan %.1f µs = %.1f %%%n",
        prompt.length,
        median[0] / 1000,
        median[1] / 1000,
        100 * median[1] / median[0]);
    double added = (median[4] - median[3]) + (median[6] - median[5]);
    System.out.printf(
        Locale.ROOT,
        "signed /config (%d bytes): sign %.1f µs; repair %.2f µs + strict UTF-8 %.2f µs"
            + " = %.2f %% of signing%n",
        canonical.length(),
        median[2] / 1000,
        (median[4] - median[3]) / 1000,
        (median[6] - median[5]) / 1000,
        100 * added / median[2]);
  }

  /** Nanoseconds per call of {@code op}, over {@code ops} calls. */
  static double time(Callable<?> op, int ops) throws Exception {
    long start = System.nanoTime();
    for (int i = 0; i < ops; i++) {
      sink = op.call();
    }
    return (System.nanoTime() - start) / (double) ops;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
