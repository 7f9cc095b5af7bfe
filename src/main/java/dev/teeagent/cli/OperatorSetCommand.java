package dev.teeagent.cli;

import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;

/** {@code operator set}: create or change variables, in one signed batch. */
@Command(
    name = "set",
    mixinStandardHelpOptions = true,
    description = "Set one or more variables (--name/--value groups) in one signed batch.")
final class OperatorSetCommand extends OperatorRun {
  @ArgGroup(exclusive = false, multiplicity = "1..*")
  List<ValueEntry> values;

  @Override
  List<OperatorSession.Entry> entries() throws CliFailure {
    return ValueEntry.toEntries(values, "set");
  }
}
