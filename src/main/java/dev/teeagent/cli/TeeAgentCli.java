package dev.teeagent.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar tee-agent.jar <serve|verify|operator|authorize|dev-kms|kms-policy> …} */
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
          "authorize", AuthorizeCommand::new,
          "dev-kms", DevKmsCommand::new,
          "state-store", StateStoreCommand::new,
          "kms-policy", KmsPolicyCommand::new);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The process environment, read once in {@link #main} and handed to the commands. */
  private final Map<String, String> env;

  private TeeAgentCli(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  public static void main(String[] args) {
    System.exit(commandLine(args, System.getenv()).execute(args));
  }

  /** The command line with an empty environment (tests that give every setting as a flag). */
  static CommandLine commandLine(String[] args) {
    return commandLine(args, Map.of());
  }

  static CommandLine commandLine(String[] args, Map<String, String> env) {
    CommandLine cli =
        new CommandLine(new TeeAgentCli(env))
            .setParameterExceptionHandler(TeeAgentCli::usageError)
            .setExecutionExceptionHandler(TeeAgentCli::unexpected);
    Supplier<Object> named = args.length > 0 ? SUBCOMMANDS.get(args[0]) : null;
    if (named != null) {
      cli.addSubcommand(args[0], named.get());
    } else {
      for (String name :
          List.of("serve", "verify", "operator", "authorize", "dev-kms", "kms-policy")) {
        cli.addSubcommand(name, SUBCOMMANDS.get(name).get());
      }
    }
    return cli;
  }

  /**
   * A usage error is one line saying what is wrong and where the help is, not the whole usage (the
   * reason would scroll away above it); a mistyped subcommand or option also gets picocli's "did
   * you mean" suggestions.
   */
  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    String name = command.getCommandSpec().qualifiedName();
    err.println(name + ": " + e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + name + " --help' for more information.");
    err.flush();
    return command.getCommandSpec().exitCodeOnInvalidInput();
  }

  /**
   * A failure no command turned into a sentence: one line, no exception name or stack trace (those
   * only with {@code TEE_AGENT_DEBUG=1}, for a bug report).
   */
  private static int unexpected(
      Exception e, CommandLine command, CommandLine.ParseResult parseResult) {
    PrintWriter err = command.getErr();
    err.println(
        command.getCommandSpec().qualifiedName()
            + ": an unexpected internal error stopped the command; run it again with"
            + " TEE_AGENT_DEBUG=1 to see the details for a bug report");
    if (environment(command.getCommandSpec()).get("TEE_AGENT_DEBUG") != null) {
      e.printStackTrace(err);
    }
    err.flush();
    return 70;
  }

  /** The environment {@link #main} was given, for the command of {@code spec}. */
  static Map<String, String> environment(CommandLine.Model.CommandSpec spec) {
    return ((TeeAgentCli) spec.root().userObject()).env;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }
}
