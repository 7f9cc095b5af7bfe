package dev.teeagent.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code operator reveal|freeze|delete --name N [--name M …]}: name-only commands. */
abstract class OperatorNameCommand extends OperatorRun {
  @Option(names = "--name", required = true, description = "Variable name (repeatable).")
  List<String> names;

  abstract String function();

  @Override
  List<OperatorSession.Entry> entries() {
    return names.stream().map(name -> OperatorSession.Entry.named(function(), name)).toList();
  }

  @Command(
      name = "reveal",
      mixinStandardHelpOptions = true,
      description = "Make hidden variables public.")
  static final class Reveal extends OperatorNameCommand {
    @Override
    String function() {
      return "reveal";
    }
  }

  @Command(
      name = "freeze",
      mixinStandardHelpOptions = true,
      description = "Make variables immutable.")
  static final class Freeze extends OperatorNameCommand {
    @Override
    String function() {
      return "freeze";
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete mutable variables.")
  static final class Delete extends OperatorNameCommand {
    @Override
    String function() {
      return "delete";
    }
  }
}
