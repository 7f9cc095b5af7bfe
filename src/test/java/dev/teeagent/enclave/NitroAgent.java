package dev.teeagent.enclave;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.testing.AgentJar;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** An agent process started under a {@link SyscallNsm}, its console in a log file. */
final class NitroAgent implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private NitroAgent(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * {@code serve} on the JDK running the tests, as enclave/init execs the agent (its JVM flags,
   * then {@code extraFlags}), on {@code port} of 127.0.0.1.
   */
  static List<String> serveCommand(int port, String attestation, String... extraFlags) {
    String operator = InitScriptTest.OPERATOR;
    List<String> command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(
        InitCommand.fromDryRun(InitScriptTest.dryRun("/bin/sh", "x", operator)).jvmFlags());
    command.addAll(List.of(extraFlags));
    command.addAll(
        List.of(
            "-jar",
            AgentJar.path().toAbsolutePath().toString(),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            String.valueOf(port),
            "--attestation",
            attestation,
            "--tee-name",
            "nitro-test",
            "--operator",
            operator));
    return command;
  }

  /** A free port on 127.0.0.1. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static NitroAgent start(List<String> command, int port, Path log) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder
        .environment()
        .keySet()
        .removeAll(
            List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "TEE_NAME", "OPERATOR_ADDRESS"));
    return new NitroAgent(builder.start(), port, log);
  }

  /** Polls /health until 200; fails with the console when the agent exits or 60 s pass. */
  void awaitHealthy() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("the agent exited with " + process.exitValue() + ":\n" + log());
      }
      try {
        if (get("/api/v1/health", Duration.ofSeconds(2)).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the agent did not answer /health within 60 s:\n" + log());
  }

  /** Waits until the console shows {@code text}; fails with the console when the agent exits. */
  void awaitLog(String text, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!log().contains(text)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("no \"" + text + "\" on the console:\n" + log());
      }
      Thread.sleep(100);
    }
  }

  /** Waits for the process to end by itself; returns its exit status. */
  int awaitExit(Duration limit) throws InterruptedException {
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the agent still runs after " + limit.toSeconds() + " s:\n" + log());
    }
    return process.exitValue();
  }

  HttpResponse<String> get(String path, Duration timeout) throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(timeout).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  CompletableFuture<HttpResponse<String>> getAsync(String path) {
    return client.sendAsync(
        HttpRequest.newBuilder(URI.create(baseUrl() + path))
            .timeout(Duration.ofSeconds(60))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> response) throws IOException {
    return JsonMappers.strict().readTree(response.body());
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** Sends SIGTERM (the agent is the launched process itself, exec'd by the wrapper). */
  void terminate() {
    process.destroy();
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    RuntimeAgent.stop(process);
  }
}
