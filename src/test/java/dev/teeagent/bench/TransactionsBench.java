package dev.teeagent.bench;

import dev.teeagent.testing.Anvil;
import dev.teeagent.testing.TestAgent;
import dev.teeagent.testing.TransactionRequests;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * {@code POST /sign-transaction} against a real anvil: the agent's own time per request (latency
 * minus its RPC round trips, measured alone in the same run) for operator-authorized requests with
 * {@code broadcast: false} (authorizations signed before the clock starts), and throughput of
 * open-mode requests that are broadcast and mined, with concurrent clients; each against baselines
 * of the same run: a signed {@code GET /config} (an answer with no work behind it) and a bare
 * {@code eth_chainId} to anvil. Run with bench/transactions.sh.
 */
public final class TransactionsBench {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final String PATH = "/api/v1/sign-transaction";

  private TransactionsBench() {}

  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int givenRpcs = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    for (String logger : List.of("dev.teeagent", "teeagent")) {
      ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(logger))
          .setLevel(ch.qos.logback.classic.Level.WARN);
    }
    try (Anvil anvil = Anvil.start();
        TestAgent agent = TestAgent.start()) {
      String recipient = agent.address();
      // Type, gas and fee given: eth_chainId and eth_getBlockByNumber (the base-fee floor; before
      // it, eth_chainId only: pass 1 as the third argument to bench a build without the floor).
      Supplier<TransactionRequests> given =
          () ->
              TransactionRequests.to(agent, anvil)
                  .transfer(recipient, 1)
                  .legacyFees(21_000, 2_000_000_000L)
                  .broadcast(false)
                  .operator();
      // Nothing given: eth_chainId, eth_getBlockByNumber, eth_maxPriorityFeePerGas,
      // eth_estimateGas.
      Supplier<TransactionRequests> filled =
          () ->
              TransactionRequests.to(agent, anvil)
                  .transfer(recipient, 1)
                  .broadcast(false)
                  .operator();
      Runnable rpc = () -> chainId(anvil.rpcUrl());
      Runnable config = () -> ok(agent.get("/api/v1/config"));

      for (Supplier<Runnable> warm :
          List.<Supplier<Runnable>>of(
              () -> rpc,
              () -> config,
              () -> presigned(agent, given, 500),
              () -> presigned(agent, filled, 500))) {
        Runnable run = warm.get();
        for (int i = 0; i < 500; i++) {
          run.run();
        }
      }

      System.out.printf(Locale.ROOT, "== latency, one client, median of %d (µs)%n", requests);
      double rtt = medianMicros(rpc, requests);
      double configMicros = medianMicros(config, requests);
      double signMicros = medianMicros(presigned(agent, given, requests), requests);
      double filledMicros = medianMicros(presigned(agent, filled, requests), requests);
      // Each request is paired with as many RPC round trips as it makes, measured right before it,
      // so that drift in a shared machine's load cancels out of the difference.
      double own = medianPairedMicros(presigned(agent, given, requests), rpc, givenRpcs, requests);
      double ownFilled = medianPairedMicros(presigned(agent, filled, requests), rpc, 4, requests);
      line("baseline: eth_chainId to anvil (1 RPC)", rtt, "");
      line("baseline: GET /config (signed, no RPC)", configMicros, "");
      line(
          "sign, fees given (" + givenRpcs + " RPCs)",
          signMicros,
          "= %.2f x GET /config",
          signMicros / configMicros);
      line(
          "sign, fees filled (4 RPCs)",
          filledMicros,
          "= %.2f x GET /config",
          filledMicros / configMicros);
      line("agent's own time, fees given", own, "= %.2f x GET /config", own / configMicros);
      line(
          "agent's own time, fees filled",
          ownFilled,
          "= %.2f x GET /config",
          ownFilled / configMicros);

      // The operator's unsent transactions above hold nonces the chain never sees: open-mode
      // transactions of the same agent would wait behind them, so another agent is measured.
      try (TestAgent anyones = TestAgent.start()) {
        throughput(anvil, anyones, rpc, requests, clients);
      }
    }
  }

  private static void throughput(
      Anvil anvil, TestAgent agent, Runnable rpc, int requests, int clients) throws Exception {
    anvil.setBalance(agent.address(), BigInteger.TEN.pow(24));
    agent
        .operator()
        .set("tx_open", "true")
        .set("tx_max_value_wei", "1")
        .set("tx_budget_wei", BigInteger.TEN.pow(40).toString())
        .set("tx_allowed_rpc_urls", anvil.rpcUrl())
        .apply();
    // Open mode, broadcast and mined: anyone's request as it reaches a public agent.
    Runnable open =
        () -> ok(TransactionRequests.to(agent, anvil).transfer(agent.address(), 1).send());
    Runnable config = () -> ok(agent.get("/api/v1/config"));
    for (int i = 0; i < 500; i++) {
      open.run();
      config.run();
    }
    System.out.printf(
        Locale.ROOT, "== throughput, %d clients, %d requests (req/s)%n", clients, requests);
    double rpcRate = rate(rpc, requests, clients);
    double configRate = rate(config, requests, clients);
    double openRate = rate(open, requests, clients);
    double configAgain = rate(config, requests, clients);
    double openAgain = rate(open, requests, clients);
    double baseline = (configRate + configAgain) / 2;
    double signing = (openRate + openAgain) / 2;
    line("baseline: eth_chainId to anvil", rpcRate, "");
    line("baseline: GET /config", baseline, "(runs %.0f, %.0f)", configRate, configAgain);
    line(
        "open mode, broadcast and mined",
        signing,
        "(runs %.0f, %.0f) = %.3f x GET /config",
        openRate,
        openAgain,
        signing / baseline);
  }

  /**
   * Sends {@code count} operator-authorized requests in turn, their authorizations (consecutive
   * operator nonces from now) signed here, before any is timed.
   */
  private static Runnable presigned(
      TestAgent agent, Supplier<TransactionRequests> kind, int count) {
    long next = agent.get("/api/v1/config").json().get("operator_nonce").asLong();
    Deque<String> bodies = new ArrayDeque<>();
    for (int i = 0; i < count; i++) {
      bodies.add(kind.get().nonce(next + i).body());
    }
    return () -> ok(agent.post(PATH, bodies.remove()));
  }

  private static void line(String label, double value, String note, Object... args) {
    String text =
        String.format(Locale.ROOT, "%-42s %10.0f  %s", label, value, String.format(note, args));
    System.out.println(text.stripTrailing());
  }

  private static double medianMicros(Runnable call, int times) {
    long[] micros = new long[times];
    for (int i = 0; i < times; i++) {
      long start = System.nanoTime();
      call.run();
      micros[i] = (System.nanoTime() - start) / 1_000;
    }
    Arrays.sort(micros);
    return micros[times / 2];
  }

  /** Median over pairs of (one {@code call}) − ({@code rpcCalls} × {@code rpc}), in µs. */
  private static double medianPairedMicros(Runnable call, Runnable rpc, int rpcCalls, int times) {
    long[] micros = new long[times];
    for (int i = 0; i < times; i++) {
      long start = System.nanoTime();
      for (int r = 0; r < rpcCalls; r++) {
        rpc.run();
      }
      long rpcDone = System.nanoTime();
      call.run();
      long end = System.nanoTime();
      micros[i] = ((end - rpcDone) - (rpcDone - start)) / 1_000;
    }
    Arrays.sort(micros);
    return micros[times / 2];
  }

  private static double rate(Runnable call, int requests, int clients) throws Exception {
    long start = System.nanoTime();
    try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        done.add(pool.submit(call));
      }
      for (Future<?> future : done) {
        future.get();
      }
    }
    return requests / ((System.nanoTime() - start) / 1e9);
  }

  private static void ok(TestAgent.Reply reply) {
    if (reply.status() != 200) {
      throw new IllegalStateException("refused: " + reply.text());
    }
  }

  private static void chainId(String rpcUrl) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(rpcUrl))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]}"))
            .build();
    try {
      HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200 || !response.body().contains("\"result\"")) {
        throw new IllegalStateException("anvil: " + response.body());
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
