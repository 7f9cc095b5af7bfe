package dev.teeagent.enclave;

import dev.teeagent.testing.ExternalCommand;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The agent command line that enclave/init execs, read from its dry-run output. */
record InitCommand(String java, List<String> jvmFlags, String jar, List<String> agentArguments) {
  static InitCommand fromDryRun(ExternalCommand.Result dryRun) {
    String line =
        dryRun.stdoutLines().stream()
            .filter(l -> l.startsWith("+ exec "))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no exec line in: " + dryRun.output()));
    List<String> words = List.of(line.substring("+ exec ".length()).split(" "));
    int jarFlag = words.indexOf("-jar");
    return new InitCommand(
        words.getFirst(),
        words.subList(1, jarFlag),
        words.get(jarFlag + 1),
        words.subList(jarFlag + 2, words.size()));
  }

  /** {@code shell} may be several words ("/usr/bin/busybox sh"), followed by the arguments. */
  static List<String> shellCommand(String shell, String... arguments) {
    List<String> command = new ArrayList<>(Arrays.asList(shell.split(" ")));
    command.addAll(List.of(arguments));
    return command;
  }
}
