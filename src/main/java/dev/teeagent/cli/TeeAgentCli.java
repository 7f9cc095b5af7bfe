package dev.teeagent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar tee-agent.jar <serve|verify|operator> …} */
@Command(
    name = "tee-agent",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Attested signing agent for AWS Nitro Enclaves.",
    subcommands = {ServeCommand.class, VerifyCommand.class, OperatorCommand.class})
public final class TeeAgentCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new TeeAgentCli()).execute(args));
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }
}
