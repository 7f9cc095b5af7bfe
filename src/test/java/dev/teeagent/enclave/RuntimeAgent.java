package dev.teeagent.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.testing.AgentJar;
import dev.teeagent.testing.ExternalCommand;
import dev.teeagent.testing.HttpProbe;
import dev.teeagent.testing.NodeScript;
import dev.teeagent.testing.TestAgent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged agent as a process on a jlink runtime (not the JDK running the tests), with the JVM
 * flags enclave/init gives it, simulated attestation, on a free loopback port; its console goes to
 * a log file the tests read.
 */
final class RuntimeAgent implements AutoCloseable {
  /** What {@code make runtime} builds: the runtime of the image. */
  static final Path RUNTIME = EnclaveFiles.path("build/runtime");

  private final Process process;
  private final int port;
  private final int httpsPort;
  private final Path log;
  private final Path simulatedRoot;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private RuntimeAgent(Process process, int port, int httpsPort, Path log, Path simulatedRoot) {
    this.httpsPort = httpsPort;
    this.process = process;
    this.port = port;
    this.log = log;
    this.simulatedRoot = simulatedRoot;
  }

  /** {@code make runtime}: builds build/runtime, or does nothing when it is up to date. */
  static void buildRuntime() {
    ExternalCommand.Result make =
        ExternalCommand.of("make", "runtime", "JAVA_HOME=" + System.getProperty("java.home"))
            .withoutEnv("MAKEFLAGS", "MAKELEVEL")
            .timeout(Duration.ofMinutes(5))
            .run();
    assertThat(make.exitCode()).as(make.output()).isZero();
  }

  /**
   * Starts {@code runtime/bin/java} with init's JVM flags and {@code serve}; {@code env} is added
   * to the test's environment (minus the JVM-options variables, which init clears).
   */
  static RuntimeAgent start(Path runtime, String teeName, String operator, Map<String, String> env)
      throws IOException {
    return start(List.of(), runtime, teeName, operator, env);
  }

  /**
   * The same, run through {@code wrapper} (a command that ends by exec'ing its arguments, so the
   * agent keeps the process id the tests inspect).
   */
  static RuntimeAgent start(
      List<String> wrapper, Path runtime, String teeName, String operator, Map<String, String> env)
      throws IOException {
    return start(wrapper, runtime, teeName, operator, env, List.of());
  }

  /** The same, with {@code serveArgs} after init's own (a sealed identity's flags). */
  static RuntimeAgent start(
      List<String> wrapper,
      Path runtime,
      String teeName,
      String operator,
      Map<String, String> env,
      List<String> serveArgs)
      throws IOException {
    List<String> jvmFlags =
        InitCommand.fromDryRun(InitScriptTest.dryRun("/bin/sh", "x", operator)).jvmFlags();
    Path simulatedRoot = Files.createTempFile("simulated-root", ".pem");
    int port;
    int httpsPort;
    try (ServerSocket socket = new ServerSocket(0);
        ServerSocket tls = new ServerSocket(0)) {
      port = socket.getLocalPort();
      httpsPort = tls.getLocalPort();
    }
    List<String> command = new ArrayList<>(wrapper);
    command.add(runtime.resolve("bin/java").toString());
    command.addAll(jvmFlags);
    command.addAll(
        List.of(
            "-jar",
            AgentJar.path().toString(),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            String.valueOf(port),
            "--https-port", // as enclave/init starts it: the runtime must hold what TLS needs
            String.valueOf(httpsPort),
            "--tee-name",
            teeName,
            "--operator",
            operator,
            "--attestation",
            "simulated",
            "--simulated-root-out",
            simulatedRoot.toString()));
    command.addAll(serveArgs);
    Path log = Files.createTempFile("runtime-agent", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().keySet().removeAll(List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS"));
    builder.environment().putAll(env);
    return new RuntimeAgent(builder.start(), port, httpsPort, log, simulatedRoot);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  int httpsPort() {
    return httpsPort;
  }

  /** Waits for the process to end (a refused start) and returns its exit status. */
  int exitStatus() throws InterruptedException {
    assertThat(process.waitFor(90, TimeUnit.SECONDS)).as(log()).isTrue();
    return process.exitValue();
  }

  long pid() {
    return process.pid();
  }

  /** The PEM of the simulated root its attestation documents chain to (for verify, operator). */
  Path simulatedRoot() {
    return simulatedRoot;
  }

  /** Waits until {@code path} answers 200 and returns the body; on failure, shows the log. */
  String await(String path) throws InterruptedException {
    try {
      return HttpProbe.awaitOk(URI.create(baseUrl() + path), Duration.ofSeconds(60));
    } catch (AssertionError notAnswering) {
      throw new AssertionError(
          "the agent on the jlink runtime: " + notAnswering.getMessage() + "\n" + log(),
          notAnswering);
    }
  }

  TestAgent.Reply get(String path) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET());
  }

  TestAgent.Reply post(String path, String json) {
    return send(
        HttpRequest.newBuilder(URI.create(baseUrl() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
  }

  private TestAgent.Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<byte[]> response =
          client.send(
              request.timeout(Duration.ofSeconds(60)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      return new TestAgent.Reply(response.statusCode(), response.body(), response.headers());
    } catch (IOException e) {
      throw new AssertionError("request failed: " + e + "\n" + log(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Fails unless {@code body} is an answer signed by {@code address}, as recovered by the project's
   * verifier and independently by ethers.
   */
  static void assertSignedBy(String body, String address) throws IOException {
    TestAgent.Reply reply = new TestAgent.Reply(200, body.getBytes(StandardCharsets.UTF_8));
    assertThat(reply.verifiedSigner().checksummed()).isEqualTo(address);
    ObjectMapper mapper = JsonMappers.strict();
    JsonNode verified =
        mapper.readTree(
            NodeScript.run("verify-signed.mjs", mapper.createArrayNode().add(body).toString()));
    assertThat(verified.get(0).get("recovered").asText()).isEqualTo(address);
  }

  /** Everything the agent printed so far (its console). */
  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /**
   * The files mapped into the agent's memory (/proc/PID/maps): which shared libraries it loaded.
   */
  String memoryMaps() {
    try {
      return Files.readString(Path.of("/proc", String.valueOf(pid()), "maps"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    stop(process);
  }

  /** SIGTERM, then SIGKILL if it is still running 20 s later. */
  static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
