package dev.teeagent.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real external program (make, shellcheck, a project script) to completion, in the project
 * directory by default, and captures what it printed. A program that cannot start or outlives its
 * timeout fails the test.
 */
public final class ExternalCommand {
  private final List<String> command;
  private Path directory = NodeScript.projectDir();
  private final Map<String, String> extraEnv = new HashMap<>();
  private final Set<String> removedEnv = new HashSet<>();
  private Duration timeout = Duration.ofMinutes(2);

  private ExternalCommand(List<String> command) {
    this.command = List.copyOf(command);
  }

  public static ExternalCommand of(String... command) {
    return new ExternalCommand(List.of(command));
  }

  public static ExternalCommand of(List<String> command) {
    return new ExternalCommand(command);
  }

  public ExternalCommand in(Path dir) {
    this.directory = dir;
    return this;
  }

  public ExternalCommand env(String name, String value) {
    extraEnv.put(name, value);
    return this;
  }

  public ExternalCommand withoutEnv(String... names) {
    removedEnv.addAll(List.of(names));
    return this;
  }

  public ExternalCommand timeout(Duration limit) {
    this.timeout = limit;
    return this;
  }

  /** What the program did: its exit code and its two output streams. */
  public record Result(int exitCode, String stdout, String stderr) {
    public String output() {
      return stdout + stderr;
    }

    public List<String> stdoutLines() {
      return stdout.lines().toList();
    }
  }

  public Result run() {
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("command", ".out");
      err = Files.createTempFile("command", ".err");
      ProcessBuilder builder =
          new ProcessBuilder(new ArrayList<>(command))
              .directory(directory.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      builder.environment().keySet().removeAll(removedEnv);
      builder.environment().putAll(extraEnv);
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new AssertionError(command + " did not finish within " + timeout);
      }
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command, e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a temp file left behind is harmless
      }
    }
  }
}
