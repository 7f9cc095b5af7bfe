package dev.teeagent.cli;

import dev.teeagent.custody.LockedKeyPolicy;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.verifier.ExpectedPcrs;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kms-policy}: prints the locked KMS key policy for an enclave image (its PCR0 from
 * build/pcrs.json or given), ready for {@code aws kms create-key}; {@code make kms-policy} runs it.
 */
@Command(
    name = "kms-policy",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Print the locked KMS key policy for the key that holds a sealed identity: only the enclave"
          + " image with this PCR0 can obtain its data keys, and no one can change the policy,"
          + " create grants, import key material or delete the key (docs/custody.md)."
    },
    footer = {
      "",
      "Create the key with it (irreversible, on purpose):",
      "  aws kms create-key --policy file://kms-policy.json --bypass-policy-lockout-safety-check",
      "Exit status: 0 printed, 2 usage error."
    })
final class KmsPolicyCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--pcrs",
      paramLabel = "FILE",
      description = "The image's PCRs (build/pcrs.json from make eif); its PCR0 is used.")
  Path pcrsFile;

  @Option(names = "--pcr0", paramLabel = "HEX", description = "The image's PCR0 (96 hex digits).")
  String pcr0;

  @Option(
      names = "--account",
      required = true,
      paramLabel = "ID",
      description = "The AWS account (12 digits) that owns the key.")
  String account;

  @Option(
      names = "--host-role",
      required = true,
      paramLabel = "ROLE",
      description = "The EC2 host's instance role: its name or arn:aws:iam::ACCOUNT:role/NAME.")
  String hostRole;

  @Override
  public Integer call() {
    if ((pcrsFile == null) == (pcr0 == null)) {
      throw usage("give exactly one of --pcrs and --pcr0");
    }
    ExpectedPcrs pcrs;
    try {
      pcrs =
          pcrsFile != null
              ? ExpectedPcrs.parseJson(read(pcrsFile), JsonMappers.strict())
              : ExpectedPcrs.none().with(0, pcr0);
    } catch (IllegalArgumentException e) {
      throw usage((pcrsFile != null ? "--pcrs " + pcrsFile : "--pcr0") + ": " + e.getMessage());
    }
    byte[] measurement = pcrs.values().get(0);
    if (measurement == null) {
      throw usage("--pcrs " + pcrsFile + " has no PCR0");
    }
    String policy;
    try {
      policy = LockedKeyPolicy.of(measurement, account, hostRole);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(policy);
    out.flush();
    return 0;
  }

  private byte[] read(Path file) {
    try {
      return UserFiles.read("--pcrs", file);
    } catch (CliFailure e) {
      throw usage(e.getMessage());
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
