package dev.teeagent.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One in-process run of the command line, as {@code tee-agent args…}: exit status and output. */
record CliRun(int exit, String out, String err) {
  /** {@code tee-agent command args…}. */
  static CliRun of(String command, String... args) {
    String[] all = new String[args.length + 1];
    all[0] = command;
    System.arraycopy(args, 0, all, 1, args.length);
    return of(all);
  }

  static CliRun of(String[] args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli =
        TeeAgentCli.commandLine(args).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    return new CliRun(cli.execute(args), out.toString(), err.toString());
  }
}
