package dev.teeagent.cli;

import dev.teeagent.custody.CustodyException;
import dev.teeagent.devkms.DevKmsServer;
import dev.teeagent.identity.AtomicFiles;
import dev.teeagent.nsm.SimulatedNsm;
import dev.teeagent.verifier.TrustedRoot;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dev-kms}: a local stand-in for AWS KMS, for development only. */
@Command(
    name = "dev-kms",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "DEVELOPMENT TOOL, NEVER FOR PRODUCTION: a local stand-in for AWS KMS speaking its JSON 1.1"
          + " protocol (CreateKey, GenerateDataKey, Decrypt, DescribeKey, GetKeyPolicy,"
          + " PutKeyPolicy, ListGrants, CreateGrant). Keys are plain files in --data-dir; request signatures (SigV4) are"
          + " accepted unverified. Recipient attestation documents are verified against"
          + " --trusted-root and key policies' kms:RecipientAttestation conditions are enforced."
    })
final class DevKmsCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--port", description = "Listen port (default: 4599; 0 picks a free one).")
  int port = 4599;

  @Option(names = "--host", description = "Listen address (default: 127.0.0.1).")
  String host = "127.0.0.1";

  @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "Key folder.")
  Path dataDir;

  @CommandLine.ArgGroup(multiplicity = "1")
  Trust trust;

  /** Which root attestation documents must chain to: a PEM, or serve's kept simulated CA. */
  static final class Trust {
    @Option(
        names = "--trusted-root",
        required = true,
        paramLabel = "PEM",
        description =
            "Root certificate attestation documents must chain to (serve's simulated root).")
    Path trustedRoot;

    @Option(
        names = "--simulated-ca",
        required = true,
        paramLabel = "FILE",
        description =
            "Trust the simulated CA that serve --state-dir DIR keeps in"
                + " DIR/simulated-ca.properties (made here when absent, so both start under one"
                + " root).")
    Path simulatedCa;
  }

  @Option(
      names = "--dev-key-out",
      paramLabel = "FILE",
      description =
          "Write the id of a development key to FILE (made at the first start, with a policy that"
              + " is NOT locked to any code, so the identity survives rebuilds).")
  Path devKeyOut;

  @Option(
      names = "--endpoint-out",
      paramLabel = "FILE",
      description =
          "Write the URL it listens on to FILE once listening (after --dev-key-out's file).")
  Path endpointOut;

  @Option(names = "--region", description = "Region named in key ARNs (default: us-east-1).")
  String region = "us-east-1";

  @Option(names = "--account", description = "Account named in ARNs (default: 111122223333).")
  String account = "111122223333";

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    if (port < 0 || port > 65535) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 0..65535");
    }
    TrustedRoot root = trustedRoot();
    Files.createDirectories(dataDir);
    CountDownLatch stopped = new CountDownLatch(1);
    try (DevKmsServer server =
        DevKmsServer.start(
            host,
            port,
            dataDir,
            root,
            Clock.systemUTC(),
            new SecureRandom(),
            region,
            account,
            Optional.empty())) {
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
      if (devKeyOut != null) {
        err.println(
            "dev-kms development key " + server.developmentKey(devKeyOut) + " (NOT locked)");
      }
      if (endpointOut != null) {
        try {
          AtomicFiles.write(
              endpointOut, (server.endpoint() + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (CustodyException e) {
          throw new IOException("--endpoint-out " + endpointOut + " cannot be written", e);
        }
      }
      err.println(
          "dev-kms listening on http://"
              + host
              + ":"
              + server.port()
              + " — a development stand-in for AWS KMS, never for production (keys in "
              + dataDir
              + ")");
      err.flush();
      stopped.await();
    }
    return 0;
  }

  private TrustedRoot trustedRoot() throws IOException {
    if (trust.simulatedCa != null) {
      Files.createDirectories(trust.simulatedCa.toAbsolutePath().getParent());
      try (SimulatedNsm kept =
          SimulatedNsm.keptIn(trust.simulatedCa, Clock.systemUTC(), new SecureRandom())) {
        return TrustedRoot.of(kept.rootCertificate());
      } catch (RuntimeException e) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--simulated-ca " + trust.simulatedCa + " is not a simulated CA");
      }
    }
    try {
      return TrustedRoot.fromPem(Files.readAllBytes(trust.trustedRoot));
    } catch (IOException | IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--trusted-root " + trust.trustedRoot + " is not a readable PEM certificate");
    }
  }
}
