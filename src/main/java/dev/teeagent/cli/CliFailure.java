package dev.teeagent.cli;

/** A CLI run that cannot go on: the message is printed for the user, exit code 2. */
final class CliFailure extends Exception {
  private static final long serialVersionUID = 1L;

  CliFailure(String message) {
    super(message, null, false, false);
  }
}
