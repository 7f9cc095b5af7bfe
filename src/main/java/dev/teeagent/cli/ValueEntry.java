package dev.teeagent.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * One {@code --name N (--value V | --value-file F) [--hidden] [--immutable]} group; several may
 * follow each other on one command line, each becoming one command of the batch.
 */
final class ValueEntry {
  @Option(names = "--name", required = true, description = "Variable name.")
  String name;

  @Option(names = "--value", description = "The value (prefer --value-file for secrets).")
  String value;

  @Option(
      names = "--value-file",
      paramLabel = "FILE",
      description = "Read the value from FILE (UTF-8; one trailing newline is dropped).")
  Path valueFile;

  @Option(names = "--hidden", description = "Secret: sent encrypted to the attested agent key.")
  boolean hidden;

  @Option(names = "--immutable", description = "Never changeable again.")
  boolean immutable;

  @Option(
      names = "--public",
      description =
          "Send this value in clear although its name looks like a secret (*_key, *_secret,"
              + " *_token, *password*).")
  boolean confirmedPublic;

  /** Names that usually hold secrets: their values are refused in clear unless --public. */
  private static final Pattern SECRET_LOOKING =
      Pattern.compile(".*(_key|_secret|_token)|.*password.*");

  /** The batch's commands, one per group, each of {@code function}. */
  static List<OperatorSession.Entry> toEntries(List<ValueEntry> groups, String function)
      throws CliFailure {
    List<OperatorSession.Entry> entries = new ArrayList<>();
    for (ValueEntry group : groups) {
      entries.add(group.toEntry(function));
    }
    return entries;
  }

  private OperatorSession.Entry toEntry(String function) throws CliFailure {
    if (!function.equals("set")) {
      if (value != null || valueFile != null || hidden || immutable) {
        throw new CliFailure(function + " takes --name only");
      }
      return OperatorSession.Entry.named(function, name);
    }
    if (!hidden && !confirmedPublic && SECRET_LOOKING.matcher(name).matches()) {
      throw new CliFailure(
          "--name "
              + name
              + " looks like a secret but is not --hidden: in clear its value would be published"
              + " in /variables and /audit for good. Add --hidden to seal it to the agent's key, or"
              + " --public if it is meant to be public (nothing was sent)");
    }
    return new OperatorSession.Entry(function, name, value(), hidden, immutable);
  }

  private String value() throws CliFailure {
    if ((value == null) == (valueFile == null)) {
      throw new CliFailure("--name " + name + ": give exactly one of --value or --value-file");
    }
    if (value != null) {
      return value;
    }
    String text = new String(UserFiles.read("--value-file", valueFile), StandardCharsets.UTF_8);
    if (text.endsWith("\r\n")) {
      return text.substring(0, text.length() - 2);
    }
    return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
  }
}
