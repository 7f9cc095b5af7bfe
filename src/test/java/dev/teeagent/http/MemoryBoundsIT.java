package dev.teeagent.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.crypto.SignedBodyVerifier;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.testing.AgentJar;
import dev.teeagent.testing.FakeLlmProvider;
import dev.teeagent.testing.HttpProbe;
import dev.teeagent.testing.SignedAnswers;
import dev.teeagent.testing.TestAgent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 10 §1: the packaged agent, run with the enclave's JVM flags (enclave/init: a 512 MiB heap
 * and exit on the first OutOfMemoryError), survives the two attacks of the outside review, and
 * answers /health and signed answers throughout and after.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MemoryBoundsIT {
  private static final List<String> ENCLAVE_HEAP =
      List.of("-XX:+UseSerialGC", "-Xmx512m", "-XX:+ExitOnOutOfMemoryError");
  private static final int MIB = 1024 * 1024;
  private static Process agent;
  private static Path log;
  private static int port;
  private static FakeLlmProvider provider;

  @BeforeAll
  static void startAgentWithEnclaveHeap() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    log = Files.createTempFile("agent-memory", ".log");
    agent =
        AgentJar.command(
                ENCLAVE_HEAP,
                Map.of(
                    "TEE_NAME",
                    "memory-agent",
                    "OPERATOR_ADDRESS",
                    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"),
                "serve",
                "--port",
                String.valueOf(port))
            .redirectOutput(log.toFile())
            .start();
    HttpProbe.awaitOk(uri("/api/v1/health"), Duration.ofSeconds(30));
    // A configured provider that takes its time: prompts get past every check and stay in flight.
    provider = FakeLlmProvider.start();
    provider.configure(TestAgent.remote(port));
    provider.answers(
        FakeLlmProvider.json(FakeLlmProvider.fixture("openai-text.json")).withFixedDelay(1_000));
  }

  @AfterAll
  static void stop() {
    agent.destroyForcibly();
    provider.close();
  }

  @Test
  void eightConcurrentPromptsOfAMillionEmptyObjectsAreRefusedAndTheAgentStaysUp() throws Exception {
    byte[] body = promptWithEmptyObjects();
    assertThat(body.length).isLessThanOrEqualTo(MIB);
    HealthWatch watch = HealthWatch.start();
    List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
    try (ExecutorService clients = Executors.newFixedThreadPool(8)) {
      List<Future<?>> rounds = new ArrayList<>();
      for (int client = 0; client < 8; client++) {
        rounds.add(
            clients.submit(
                () -> {
                  for (int round = 0; round < 4; round++) {
                    statuses.add(post("/api/v1/prompt", body).statusCode());
                  }
                  return null;
                }));
      }
      for (Future<?> round : rounds) {
        round.get(60, TimeUnit.SECONDS);
      }
    }
    watch.stopAndAssertHealthy();
    assertThat(statuses).hasSize(32).allMatch(status -> status == 413 || status == 503);
    assertAliveAndSigning();
  }

  @Test
  // The attackers' tasks write to firstLines from 250 threads, and their failures are the
  // refusals under test: the executor's close waits for them, their futures carry nothing.
  @SuppressWarnings({"UnnecessaryAsync", "FutureReturnValueIgnored"})
  void twoHundredFiftyStalledMegabyteBodiesAreRefusedOrBoundedAndTheAgentStaysUp()
      throws Exception {
    HealthWatch watch = HealthWatch.start();
    Map<Integer, String> firstLines = new ConcurrentHashMap<>();
    List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
    String[] paths = {"/api/v1/variables", "/api/v1/prompt", "/api/v1/config", "/nowhere"};
    byte[] chunk = new byte[64 * 1024];
    java.util.Arrays.fill(chunk, (byte) ' ');
    try (ExecutorService attackers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 250; i++) {
        int index = i;
        attackers.submit(
            () -> {
              Socket socket = new Socket();
              sockets.add(socket);
              socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
              OutputStream out = socket.getOutputStream();
              out.write(
                  ("POST "
                          + paths[index % paths.length]
                          + " HTTP/1.1\r\nHost: agent\r\nContent-Type: application/json\r\n"
                          + "Content-Length: "
                          + MIB
                          + "\r\n\r\n")
                      .getBytes(StandardCharsets.US_ASCII));
              try {
                for (int sent = 0; sent < MIB - 1024; sent += chunk.length) {
                  out.write(chunk, 0, Math.min(chunk.length, MIB - 1024 - sent));
                }
                out.flush();
              } catch (IOException refusedEarly) {
                // The agent answered without reading the body and closed: as intended.
              }
              return null;
            });
      }
    }
    // Every attacker has sent all it will send; the stalled bodies stay open a while.
    Thread.sleep(3_000);
    watch.stopAndAssertHealthy();
    assertAliveAndSigning();
    for (Socket socket : sockets) {
      firstLines.put(firstLines.size(), statusLine(socket));
      socket.close();
    }
    // Refused ones were told why, in a signed 503; none got a 500.
    assertThat(firstLines.values()).noneMatch(line -> line.contains(" 500 "));
    assertThat(firstLines.values()).anyMatch(line -> line.startsWith("HTTP/1.1 503"));
    assertAliveAndSigning();
  }

  private static String statusLine(Socket socket) {
    try {
      socket.setSoTimeout(200);
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c >= 0 && c != '\r' && line.length() < 100; c = in.read()) {
        line.append((char) c);
      }
      return line.toString();
    } catch (IOException stillWaiting) {
      return "";
    }
  }

  private static byte[] promptWithEmptyObjects() {
    String head =
        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
            + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"x\":[";
    String tail = "{}]}}}";
    StringBuilder body = new StringBuilder(MIB).append(head);
    while (body.length() + 3 + tail.length() <= MIB) {
      body.append("{},");
    }
    return body.append(tail).toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void assertAliveAndSigning() throws Exception {
    assertThat(agent.isAlive()).as("agent process alive; log:\n%s", tail()).isTrue();
    HttpResponse<byte[]> health = get("/api/v1/health");
    assertThat(health.statusCode()).isEqualTo(200);
    HttpResponse<byte[]> config = get("/api/v1/config");
    assertThat(config.statusCode()).isEqualTo(200);
    assertThat(new SignedBodyVerifier(JsonMappers.strict()).verify(config.body())).isPresent();
  }

  private static String tail() {
    try {
      String text = Files.readString(log);
      return text.substring(Math.max(0, text.length() - 4000));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static HttpResponse<byte[]> get(String path) throws Exception {
    HttpResponse<byte[]> response =
        CLIENT.send(
            HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    SignedAnswers.record(
        response.body(),
        SignedAnswers.Exchange.http(
            response.statusCode(), response.headers().firstValue("Content-Type").orElse(null)));
    return response;
  }

  private static HttpResponse<byte[]> post(String path, byte[] body) throws Exception {
    HttpResponse<byte[]> response =
        CLIENT.send(
            HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    SignedAnswers.record(
        response.body(),
        SignedAnswers.Exchange.http(
            response.statusCode(), response.headers().firstValue("Content-Type").orElse(null)));
    return response;
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** Polls /health and the signed /config every 200 ms on its own thread; any failure is kept. */
  private static final class HealthWatch {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    private int checks;

    private HealthWatch() {
      thread = Thread.ofPlatform().daemon().start(this::run);
    }

    static HealthWatch start() {
      return new HealthWatch();
    }

    private void run() {
      while (running.get()) {
        try {
          assertAliveAndSigning();
          checks++;
        } catch (Exception | AssertionError e) {
          failures.add(e.toString());
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    void stopAndAssertHealthy() throws InterruptedException {
      running.set(false);
      thread.join(15_000);
      assertThat(failures).as("health checks during the attack; log:\n%s", tail()).isEmpty();
      assertThat(checks).isPositive();
    }
  }
}
