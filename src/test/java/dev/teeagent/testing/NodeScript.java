package dev.teeagent.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the independent Node checkers in src/test/js (ethers, canonicalize, eciesjs from the
 * committed lockfile). A missing Node or node_modules fails the test: interop is never skipped.
 */
public final class NodeScript {
  private NodeScript() {}

  public static Path projectDir() {
    return Path.of(System.getProperty("teeagent.projectDir", ".")).toAbsolutePath().normalize();
  }

  /** Runs {@code script} with {@code args}, feeding {@code stdin}; returns stdout or fails. */
  public static String run(String script, String stdin, String... args) {
    return run(java.util.Map.of(), "src/test/js/" + script, stdin, args);
  }

  /**
   * Runs the Node program at {@code path} (relative to the project) with extra environment
   * variables, e.g. a key for a shipped client script; returns stdout or fails.
   */
  public static String run(
      java.util.Map<String, String> env, String path, String stdin, String... args) {
    String script = path;
    Path dir = projectDir();
    if (!Files.isDirectory(dir.resolve("node_modules/ethers"))) {
      throw new AssertionError("node_modules missing: run `npm ci` (make test does)");
    }
    List<String> command = new ArrayList<>(List.of("node", script));
    command.addAll(List.of(args));
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
      builder.environment().putAll(env);
      Process process = builder.redirectErrorStream(false).start();
      try (OutputStream in = process.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      byte[] out;
      byte[] err;
      try (InputStream stdout = process.getInputStream();
          InputStream stderr = process.getErrorStream()) {
        out = stdout.readAllBytes();
        err = stderr.readAllBytes();
      }
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(script + " timed out");
      }
      if (process.exitValue() != 0) {
        throw new AssertionError(
            script
                + " failed ("
                + process.exitValue()
                + "): "
                + new String(err, StandardCharsets.UTF_8));
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError("cannot run node " + script + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** How a checker ended: its exit status and its stdout and stderr together. */
  public record Outcome(int exit, String output) {}

  /**
   * Runs the Node program at {@code path} (relative to the project) whatever its exit status, for
   * tests that show a checker fails: its exit status and output.
   */
  public static Outcome outcome(String path, String... args) {
    List<String> command = new ArrayList<>(List.of("node", path));
    command.addAll(List.of(args));
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(projectDir().toFile())
              .redirectErrorStream(true)
              .start();
      String output;
      try (InputStream out = process.getInputStream()) {
        output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(path + " timed out");
      }
      return new Outcome(process.exitValue(), output);
    } catch (IOException e) {
      throw new AssertionError("cannot run node " + path + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
