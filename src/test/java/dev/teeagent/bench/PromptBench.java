package dev.teeagent.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.teeagent.prompt.PromptCpuCost;
import dev.teeagent.testing.FakeLlmProvider;
import dev.teeagent.testing.PromptBody;
import dev.teeagent.testing.TestAgent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@code POST /prompt} adds over calling the provider directly. The provider is WireMock with
 * a fixed delay; the same HTTP client calls it directly (baseline) and through the agent, turn
 * about, so both series see the same machine. Latency: p50 and p99 of sequential calls and their
 * difference (the agent's overhead: parse, checks, canonical body, OkHttp, JCS, signature), with a
 * signed {@code GET /config} (no provider call) as a reference for the cost of any signed answer.
 * Throughput: 50 concurrent callers for a fixed time, direct and through the agent.
 *
 * <p>Usage: bench/prompt.sh [sequential calls per series, default 2000] [provider delay ms, default
 * 20] [seconds of concurrent load, default 10]
 */
public final class PromptBench {
  private static final int CONCURRENT = 50;

  private PromptBench() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int delayMs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    WireMockServer wireMock =
        new WireMockServer(
            options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .containerThreads(200)
                .asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(100)
                .disableRequestJournal());
    wireMock.start();
    wireMock.stubFor(
        post(urlEqualTo(FakeLlmProvider.PATH))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(FakeLlmProvider.fixture("openai-text.json"))
                    .withFixedDelay(delayMs)));
    String directUrl = "http://127.0.0.1:" + wireMock.port() + FakeLlmProvider.PATH;
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    String prompt =
        PromptBody.ask("What is the capital of France?").system("Answer in one line.").json();

    try (TestAgent agent = TestAgent.start()) {
      agent
          .operator()
          .setHidden("llm_api_key", FakeLlmProvider.API_KEY)
          .set("llm_base_url", "http://127.0.0.1:" + wireMock.port() + "/api/v1")
          .set("llm_model", FakeLlmProvider.MODEL)
          .set("prompt_max_per_minute", "1000000")
          .apply();
      HttpRequest direct = request(directUrl, prompt);
      HttpRequest viaAgent = request(agent.baseUrl() + "/api/v1/prompt", prompt);
      // Reference: a signed answer of the agent that calls nobody (HTTP, JSON, JCS, signature).
      HttpRequest config =
          HttpRequest.newBuilder(URI.create(agent.baseUrl() + "/api/v1/config"))
              .timeout(Duration.ofSeconds(30))
              .build();

      // Warm-up: JIT, connection pools.
      for (int i = 0; i < Math.max(300, calls / 5); i++) {
        call(client, direct);
        call(client, viaAgent);
        call(client, config);
      }
      long[] directNanos = new long[calls];
      long[] agentNanos = new long[calls];
      long[] configNanos = new long[calls];
      for (int i = 0; i < calls; i++) {
        directNanos[i] = call(client, direct);
        agentNanos[i] = call(client, viaAgent);
        configNanos[i] = call(client, config);
      }
      double directRate = throughput(client, direct, seconds);
      double agentRate = throughput(client, viaAgent, seconds);

      System.out.printf(
          Locale.ROOT,
          "provider delay %d ms, %d sequential calls per series, %d concurrent callers for %d s%n%n",
          delayMs,
          calls,
          CONCURRENT,
          seconds);
      System.out.println("| series | p50 ms | p99 ms |");
      System.out.println("|---|---|---|");
      row("provider directly (baseline)", directNanos);
      row("through the agent", agentNanos);
      System.out.printf(
          Locale.ROOT,
          "| **agent overhead** | **%.2f** | **%.2f** |%n",
          (percentile(agentNanos, 50) - percentile(directNanos, 50)) / 1e6,
          (percentile(agentNanos, 99) - percentile(directNanos, 99)) / 1e6);
      row("reference: signed GET /config (no provider)", configNanos);
      System.out.println();
      System.out.println("| CPU per prompt, in process, no HTTP | µs |");
      System.out.println("|---|---|");
      System.out.println(PromptCpuCost.measure(Math.max(1000, calls * 5)));
      System.out.println("| 50 concurrent callers | answers/s | ratio |");
      System.out.println("|---|---|---|");
      System.out.printf(
          Locale.ROOT, "| provider directly (baseline) | %.0f | 1.00 |%n", directRate);
      System.out.printf(
          Locale.ROOT, "| through the agent | %.0f | %.2f |%n", agentRate, agentRate / directRate);
    } finally {
      wireMock.stop();
    }
  }

  private static HttpRequest request(String url, String body) {
    return HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + FakeLlmProvider.API_KEY)
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  /** One call's wall time in nanoseconds; fails on anything but 200. */
  private static long call(HttpClient client, HttpRequest request) throws Exception {
    long start = System.nanoTime();
    HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    long took = System.nanoTime() - start;
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          request.uri()
              + " answered "
              + response.statusCode()
              + ": "
              + new String(response.body()));
    }
    return took;
  }

  /** Answers per second with {@value #CONCURRENT} callers looping for {@code seconds}. */
  private static double throughput(HttpClient client, HttpRequest request, int seconds)
      throws Exception {
    AtomicLong done = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < CONCURRENT; i++) {
        pool.execute(
            () -> {
              while (System.nanoTime() < end) {
                try {
                  call(client, request);
                  done.incrementAndGet();
                } catch (Exception e) {
                  failed.incrementAndGet();
                }
              }
            });
      }
    }
    if (failed.get() > 0) {
      throw new IllegalStateException(failed.get() + " calls failed under load");
    }
    return done.get() / (double) seconds;
  }

  private static void row(String name, long[] nanos) {
    System.out.printf(
        Locale.ROOT,
        "| %s | %.2f | %.2f |%n",
        name,
        percentile(nanos, 50) / 1e6,
        percentile(nanos, 99) / 1e6);
  }

  private static double percentile(long[] nanos, int p) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, index)];
  }
}
