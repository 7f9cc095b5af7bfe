package dev.teeagent.cli;

import java.nio.file.Path;

/**
 * Where {@code make run} has the local, simulated agent write what a local operator or verifier
 * needs to trust it on purpose: its throw-away root and the PCRs of the running code. The folder is
 * covered by .gitignore, with every other file the docs create.
 */
final class LocalAgentFiles {
  static final Path SCRATCH = Path.of("scratch");
  static final Path ROOT = SCRATCH.resolve("simulated-root.pem");
  static final Path PCRS = SCRATCH.resolve("pcrs.json");

  /** The flags that make a CLI trust the local agent's files, as the user would type them. */
  static final String FLAGS = "--root " + ROOT + " --pcrs " + PCRS;

  private LocalAgentFiles() {}
}
