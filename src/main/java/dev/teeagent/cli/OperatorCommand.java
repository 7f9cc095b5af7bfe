package dev.teeagent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code operator set|reveal|freeze|delete|sign}: signed commands to an attested agent. */
@Command(
    name = "operator",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Configure an agent with signed commands, after verifying its attestation.",
    subcommands = {
      OperatorSetCommand.class,
      OperatorNameCommand.Reveal.class,
      OperatorNameCommand.Freeze.class,
      OperatorNameCommand.Delete.class,
      OperatorSignCommand.class
    })
final class OperatorCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is required: set, reveal, freeze, delete or sign");
  }
}
