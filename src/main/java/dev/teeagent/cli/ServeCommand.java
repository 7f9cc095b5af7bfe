package dev.teeagent.cli;

import dev.teeagent.App;
import dev.teeagent.config.AgentSettings;
import dev.teeagent.config.AttestationSettings;
import dev.teeagent.config.ConfigException;
import dev.teeagent.config.ListenerSettings;
import dev.teeagent.config.PortInUseException;
import dev.teeagent.config.PromptSettings;
import dev.teeagent.identity.IdentitySettings;
import dev.teeagent.nsm.Nsm;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code serve}: runs the agent until SIGTERM/SIGINT, then drains in-flight requests. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Run the agent's HTTP API.")
final class ServeCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--tee-name", description = "Agent name (default: $TEE_NAME).")
  String teeName;

  @Option(names = "--operator", description = "Operator address (default: $OPERATOR_ADDRESS).")
  String operator;

  @Option(names = "--host", description = "Listen address (default: 127.0.0.1).")
  String host;

  @Option(names = "--port", description = "Listen port (default: 7047; 0 picks a free one).")
  Integer port;

  @Option(
      names = "--https-port",
      paramLabel = "N",
      description =
          "Also listen with HTTPS terminated inside the agent, its key made at start and its"
              + " hash (tls_spki_sha256) attested (default: off; 7443 in the enclave image).")
  Integer httpsPort;

  @Option(
      names = "--no-plain-http",
      description = "Do not open the plain HTTP port (--port): HTTPS only, with --https-port.")
  boolean noPlainHttp;

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
      paramLabel = "DURATION",
      description =
          "Largest difference between the agent's clock and the NSM's signed time before every"
              + " answer is 503 clock_skew: seconds, or 90s, 2m (default: 60).")
  String maxClockSkew;

  @Option(
      names = "--simulated-root-out",
      paramLabel = "FILE",
      description =
          "Simulated mode: write the throw-away root certificate (PEM) to FILE, for"
              + " `verify --root FILE`.")
  Path simulatedRootOut;

  @Option(
      names = "--simulated-pcrs-out",
      paramLabel = "FILE",
      description =
          "Simulated mode: write PCR0-2 of the running code (pcrs.json, as make eif writes it) to"
              + " FILE, for `verify --pcrs FILE` and the operator CLI.")
  Path simulatedPcrsOut;

  @Option(
      names = "--llm-connect-timeout",
      paramLabel = "DURATION",
      description = "Time to open a connection to the LLM provider (default: 10s).")
  String llmConnectTimeout;

  @Option(
      names = "--llm-read-timeout",
      paramLabel = "DURATION",
      description = "Longest silence while reading the provider's answer (default: 60s).")
  String llmReadTimeout;

  @Option(
      names = "--llm-timeout",
      paramLabel = "DURATION",
      description = "Whole prompt, retries included: 500ms, 10s, 2m, 1h (default: 120s).")
  String llmTimeout;

  @Option(
      names = "--llm-max-concurrent",
      paramLabel = "N",
      description = "Prompts in flight to the provider at once; more get 503 (default: 64).")
  Integer llmMaxConcurrent;

  @Option(
      names = "--llm-max-retries",
      paramLabel = "N",
      description = "Retries of a transient provider failure, 0-5 (default: 2).")
  Integer llmMaxRetries;

  @Option(
      names = "--llm-max-retry-wait",
      paramLabel = "DURATION",
      description =
          "Longest wait before one retry; a longer Retry-After fails at once (default: 5s).")
  String llmMaxRetryWait;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Keep the agent's key and state sealed (through KMS) in DIR, so that a restart keeps its"
              + " address, nonces, variables and audit log. Needs --kms-key-id and --kms-region;"
              + " credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN."
              + " Without it: a new key at every start.")
  Path stateDir;

  @Option(
      names = "--state-url",
      paramLabel = "URL",
      description =
          "Keep the sealed key and state in the host's state store instead of a folder (an"
              + " enclave has no disk): http://192.168.127.254:7048 reaches `tee-agent state-store`"
              + " on the parent instance through gvproxy. Each change is answered only after the"
              + " store acknowledged it.")
  String stateUrl;

  @Option(
      names = "--kms-credentials",
      paramLabel = "SOURCE",
      description =
          "env (default: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN) or"
              + " instance-role (the EC2 instance role from IMDSv2 at 169.254.169.254, through the"
              + " host link; instance-role=http://host:port for another endpoint). Untrusted: they"
              + " only authorize; the key policy binds the code.")
  String kmsCredentials;

  @Option(names = "--kms-key-id", paramLabel = "ID", description = "KMS key sealing DIR.")
  String kmsKeyId;

  @Option(names = "--kms-region", paramLabel = "REGION", description = "KMS region, eu-west-1.")
  String kmsRegion;

  @Option(
      names = "--kms-endpoint",
      paramLabel = "URL",
      description = "KMS endpoint (default: AWS's for the region; dev-kms for development).")
  String kmsEndpoint;

  @Option(
      names = "--new-identity",
      description =
          "Start a new identity in DIR on purpose (the old files are kept as *.replaced); shown"
              + " in /config. Never needed for a normal restart.")
  boolean newIdentity;

  @Override
  public Integer call() throws InterruptedException {
    Map<String, String> env = TeeAgentCli.environment(spec);
    PrintWriter err = spec.commandLine().getErr();
    for (Path out : new Path[] {simulatedRootOut, simulatedPcrsOut}) {
      Path folder = out == null ? null : out.toAbsolutePath().getParent();
      try {
        if (folder != null) {
          Files.createDirectories(folder);
        }
      } catch (IOException e) {
        err.println("tee-agent serve: cannot create the folder " + folder + " for " + out);
        return 2;
      }
    }
    if (noPlainHttp && simulatedPcrsOut != null) {
      err.println(
          "tee-agent serve: --simulated-pcrs-out reads the agent's /config over its plain port:"
              + " drop --no-plain-http for a local simulated agent");
      return 2;
    }
    App app;
    AgentSettings settings = null;
    try {
      settings =
          AgentSettings.load(new AgentSettings.Flags(teeName, operator, host, port), env)
              .withPrompt(
                  PromptSettings.load(
                      new PromptSettings.Flags(
                          llmConnectTimeout,
                          llmReadTimeout,
                          llmTimeout,
                          llmMaxConcurrent,
                          llmMaxRetries,
                          llmMaxRetryWait)))
              .withListeners(ListenerSettings.load(httpsPort, noPlainHttp));
      // Probed before anything starts, so that one line is all a newcomer sees; the server's own
      // bind failure (a race with another program) ends the same way.
      if (httpsPort != null) {
        PortInUseException.requireFree("--https-port", settings.host(), httpsPort);
      }
      if (!noPlainHttp) {
        PortInUseException.requireFree("--port", settings.host(), settings.port());
      }
      AttestationSettings attestationSettings =
          AttestationSettings.load(
              new AttestationSettings.Flags(
                  attestation, attestationRate, maxClockSkew, simulatedRootOut),
              Nsm.DEVICE);
      Optional<IdentitySettings> identity =
          IdentitySettings.load(
              new IdentitySettings.Flags(
                  stateDir,
                  stateUrl,
                  kmsEndpoint,
                  kmsKeyId,
                  kmsRegion,
                  kmsCredentials,
                  newIdentity),
              env);
      app =
          App.start(settings, attestationSettings, identity, Clock.systemUTC(), new SecureRandom());
    } catch (ConfigException e) {
      err.println("tee-agent: cannot start: " + e.getMessage());
      return 2;
    } catch (PortInUseException e) {
      err.println("tee-agent serve: " + e.getMessage());
      return 2;
    } catch (CompletionException e) {
      // A setting refused on another core (the simulated CA kept with a sealed identity).
      if (e.getCause() instanceof ConfigException refused) {
        err.println("tee-agent: cannot start: " + refused.getMessage());
        return 2;
      }
      throw e;
    }
    if (simulatedPcrsOut != null) {
      try {
        SimulatedPcrs.write(app, settings.host(), simulatedPcrsOut);
      } catch (CliFailure e) {
        err.println("tee-agent serve: " + e.getMessage());
        app.close();
        return 2;
      }
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
