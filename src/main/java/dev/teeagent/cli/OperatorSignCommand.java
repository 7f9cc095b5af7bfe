package dev.teeagent.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.variables.SignedCommandBatch;
import dev.teeagent.variables.VariableCommand;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code operator sign}: builds and signs a batch for the attested agent and prints the request
 * body instead of sending it (for curl, or to hand the batch to someone else to submit).
 */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    description = "Print a signed batch (the POST /variables body) without sending it.")
final class OperatorSignCommand extends OperatorRun {
  @ArgGroup(exclusive = false, multiplicity = "0..*")
  List<ValueEntry> values = new ArrayList<>();

  @Option(
      names = "--function",
      defaultValue = "set",
      description = "set, reveal, freeze or delete (default: ${DEFAULT-VALUE}).")
  String function;

  @Option(
      names = "--seed-shape",
      description = "Print {\"variables\": [{\"name\", \"value\"}], …} (plain sets only).")
  boolean seedShape;

  @Override
  List<OperatorSession.Entry> entries() throws CliFailure {
    if (!List.of("set", "reveal", "freeze", "delete").contains(function)) {
      throw new CliFailure("--function must be set, reveal, freeze or delete");
    }
    List<OperatorSession.Entry> entries = ValueEntry.toEntries(values, function);
    for (OperatorSession.Entry entry : entries) {
      if (seedShape && (!function.equals("set") || entry.hidden() || entry.immutable())) {
        throw new CliFailure("--seed-shape carries plain sets only (no flags, no other function)");
      }
    }
    return entries;
  }

  @Override
  int finish(OperatorSession session, SignedCommandBatch batch) throws CliFailure {
    ObjectNode body = mapper.valueToTree(batch);
    if (seedShape) {
      ArrayNode variables = mapper.createArrayNode();
      for (VariableCommand command : batch.commands()) {
        variables.addObject().put("name", command.name()).put("value", command.value());
      }
      body.remove("commands");
      body.set("variables", variables);
    }
    out().println(new String(session.json(body), StandardCharsets.UTF_8));
    out().flush();
    return 0;
  }
}
