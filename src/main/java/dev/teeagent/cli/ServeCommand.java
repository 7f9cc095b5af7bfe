package dev.teeagent.cli;

import dev.teeagent.App;
import dev.teeagent.attestation.NitroNsm;
import dev.teeagent.config.AgentSettings;
import dev.teeagent.config.AttestationSettings;
import dev.teeagent.config.ConfigException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code serve}: runs the agent until SIGTERM/SIGINT, then drains in-flight requests. */
@Command(name = "serve", description = "Run the agent's HTTP API.")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--tee-name", description = "Agent name (default: $TEE_NAME).")
  String teeName;

  @Option(names = "--operator", description = "Operator address (default: $OPERATOR_ADDRESS).")
  String operator;

  @Option(names = "--host", description = "Listen address (default: 127.0.0.1).")
  String host;

  @Option(names = "--port", description = "Listen port (default: 7047; 0 picks a free one).")
  Integer port;

  @Option(
      names = "--attestation",
      paramLabel = "auto|nitro|simulated",
      description =
          "Where attestations come from (default: auto = nitro when /dev/nsm exists, else"
              + " simulated). nitro fails at start without /dev/nsm.")
  String attestation;

  @Option(
      names = "--attestation-rate",
      paramLabel = "N",
      description =
          "NSM attestations per second for all clients together; beyond: 429 (default: 10).")
  Integer attestationRate;

  @Option(
      names = "--max-clock-skew",
      paramLabel = "SECONDS",
      description =
          "Largest difference between the agent's clock and the NSM's signed time before every"
              + " answer is 503 clock_skew (default: 60).")
  Integer maxClockSkew;

  @Option(
      names = "--simulated-root-out",
      paramLabel = "FILE",
      description =
          "Simulated mode: write the throw-away root certificate (PEM) to FILE, for"
              + " `verify --root FILE`.")
  Path simulatedRootOut;

  @Override
  public Integer call() throws InterruptedException {
    App app;
    try {
      AgentSettings settings =
          AgentSettings.load(
              new AgentSettings.Flags(teeName, operator, host, port), System.getenv());
      AttestationSettings attestationSettings =
          AttestationSettings.load(
              new AttestationSettings.Flags(
                  attestation, attestationRate, maxClockSkew, simulatedRootOut),
              NitroNsm.DEVICE);
      app = App.start(settings, attestationSettings, Clock.systemUTC(), new SecureRandom());
    } catch (ConfigException e) {
      System.err.println("tee-agent: invalid setting: " + e.getMessage());
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  app.close();
                  stopped.countDown();
                },
                "shutdown"));
    stopped.await();
    return 0;
  }
}
