package dev.teeagent.cli;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar tee-agent.jar <serve|verify|operator> …} */
@Command(
    name = "tee-agent",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Attested signing agent for AWS Nitro Enclaves.")
public final class TeeAgentCli implements Runnable {
  /**
   * The subcommands, made on demand: picocli reflects over every option of every command it is
   * given, and building all of them (the operator commands have many) was a sizeable part of the
   * agent's start. A run that names a subcommand builds only that one; help builds them all.
   */
  private static final Map<String, Supplier<Object>> SUBCOMMANDS =
      Map.of(
          "serve", ServeCommand::new,
          "verify", VerifyCommand::new,
          "operator", OperatorCommand::new,
          "dev-kms", DevKmsCommand::new);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine(args).execute(args));
  }

  static CommandLine commandLine(String[] args) {
    CommandLine cli = new CommandLine(new TeeAgentCli());
    Supplier<Object> named = args.length > 0 ? SUBCOMMANDS.get(args[0]) : null;
    if (named != null) {
      cli.addSubcommand(args[0], named.get());
    } else {
      for (String name : List.of("serve", "verify", "operator", "dev-kms")) {
        cli.addSubcommand(name, SUBCOMMANDS.get(name).get());
      }
    }
    return cli;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }
}
