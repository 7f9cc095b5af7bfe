package dev.teeagent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the command blocks of a documentation page as a reader would, so that a change that breaks
 * the docs breaks the build (docs/contributing.md, "The docs are run"): a {@code sh} block runs
 * with bash from the project directory and, when a {@code text} block follows, prints exactly that
 * text ({@code …} standing for any run of characters within a line); a line ending in {@code #
 * terminal N: …} is a long-running program, started in the background until {@link #close()}. Ports
 * and the scratch folder are replaced by the run's own, in commands and expected text alike.
 */
public final class MarkdownCommands implements AutoCloseable {
  /** A fenced block: its language (the info string's first word, or empty) and its text. */
  public record Block(String language, String text, boolean markedNotRun) {}

  /** The visible marker a block that needs AWS, Docker or Nitro carries right above it. */
  public static final String NOT_RUN_MARKER = "> **Not run by the tests";

  private static final Pattern FENCE =
      Pattern.compile(
          "^```([A-Za-z0-9_-]*)[^\\n]*\\n(.*?)^```[ \\t]*$", Pattern.DOTALL | Pattern.MULTILINE);
  private static final Pattern TERMINAL = Pattern.compile("#\\s*terminal\\s+(\\d+)\\b.*$");
  private static final Pattern SCRATCH = Pattern.compile("(?<![\\w./-])scratch(?![\\w-])");
  private static final List<String> DATA_BLOCKS = List.of("text", "json", "mermaid");

  private final Path scratch;
  private final Map<Pattern, String> replacements = new LinkedHashMap<>();
  private final List<Process> background = new ArrayList<>();
  private final List<Path> logs = new ArrayList<>();

  private MarkdownCommands(Path scratch) {
    this.scratch = scratch;
    replacements.put(SCRATCH, Matcher.quoteReplacement(scratch.toString()));
  }

  /** A run whose files go to {@code scratch} instead of the docs' {@code scratch/}. */
  public static MarkdownCommands in(Path scratch) {
    return new MarkdownCommands(scratch);
  }

  /**
   * Replaces the port {@code documented} (e.g. 7047) by {@code actual} wherever it stands alone.
   */
  public MarkdownCommands port(int documented, int actual) {
    replacements.put(Pattern.compile("\\b" + documented + "\\b"), Integer.toString(actual));
    return this;
  }

  /** Replaces a literal piece of a command, e.g. {@code make run} by one with its port given. */
  public MarkdownCommands replace(String documented, String actual) {
    replacements.put(Pattern.compile(Pattern.quote(documented)), Matcher.quoteReplacement(actual));
    return this;
  }

  /** The fenced blocks of a page, in order. */
  public static List<Block> blocks(Path page) {
    String text;
    try {
      text = Files.readString(page);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Block> blocks = new ArrayList<>();
    Matcher fence = FENCE.matcher(text);
    while (fence.find()) {
      String before = text.substring(0, fence.start()).stripTrailing();
      String lastLine = before.substring(before.lastIndexOf('\n') + 1);
      boolean marked = lastLine.startsWith(">") && quoteStart(before).startsWith(NOT_RUN_MARKER);
      blocks.add(new Block(fence.group(1), fence.group(2), marked));
    }
    return blocks;
  }

  /** The first line of the block quote that ends {@code before}. */
  private static String quoteStart(String before) {
    List<String> lines = before.lines().toList();
    int i = lines.size() - 1;
    while (i > 0 && lines.get(i - 1).startsWith(">")) {
      i--;
    }
    return lines.get(i);
  }

  /** {@code text} with the run's ports and scratch folder in place of the documented ones. */
  public String substitute(String text) {
    String result = text;
    for (Map.Entry<Pattern, String> replacement : replacements.entrySet()) {
      result = replacement.getKey().matcher(result).replaceAll(replacement.getValue());
    }
    return result;
  }

  /** Runs one documented script (already substituted) with bash, as a reader's shell would. */
  public ExternalCommand.Result run(String script) {
    return ExternalCommand.of("bash", "-o", "pipefail", "-c", script)
        .withoutEnv("TEE_OPERATOR_KEY")
        .timeout(Duration.ofMinutes(3))
        .run();
  }

  /**
   * Runs every block of {@code page} by the conventions above and returns the scripts it ran. A
   * block that is neither run, nor data ({@code text}, {@code json}, {@code mermaid}), nor marked
   * as not run fails.
   */
  public List<String> runPage(Path page) {
    List<Block> blocks = blocks(page);
    List<String> ran = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      Block block = blocks.get(i);
      if (block.markedNotRun() || DATA_BLOCKS.contains(block.language())) {
        continue;
      }
      if (!block.language().equals("sh")) {
        throw new AssertionError(
            page.getFileName()
                + ": a ```"
                + block.language()
                + " block is neither run nor marked"
                + " with \""
                + NOT_RUN_MARKER
                + "\":\n"
                + block.text());
      }
      String script = substitute(block.text());
      if (TERMINAL.matcher(script.lines().findFirst().orElse("")).find()) {
        script.lines().filter(line -> !line.isBlank()).forEach(this::startInBackground);
        ran.add(script);
        continue;
      }
      ExternalCommand.Result result = run(script);
      if (result.exitCode() != 0) {
        throw new AssertionError(
            page.getFileName()
                + ": exit "
                + result.exitCode()
                + " from\n"
                + script
                + "\n"
                + result.output()
                + backgroundLogs());
      }
      boolean compared = i + 1 < blocks.size() && blocks.get(i + 1).language().equals("text");
      if (compared) {
        String expected = substitute(blocks.get(++i).text());
        if (!matches(expected, result.stdout())) {
          throw new AssertionError(
              page.getFileName()
                  + ": the output of\n"
                  + script
                  + "\nis\n"
                  + result.stdout()
                  + "\nbut the page shows\n"
                  + expected
                  + "\nstderr:\n"
                  + result.stderr());
        }
      }
      ran.add(script);
    }
    return ran;
  }

  /** Exact text, where each {@code …} of {@code expected} stands for any characters in a line. */
  public static boolean matches(String expected, String actual) {
    StringBuilder regex = new StringBuilder();
    String[] parts = expected.split("…", -1);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        regex.append("[^\\n]*");
      }
      regex.append(Pattern.quote(parts[i]));
    }
    return Pattern.compile(regex.toString()).matcher(actual).matches();
  }

  private void startInBackground(String line) {
    Matcher terminal = TERMINAL.matcher(line);
    if (!terminal.find()) {
      throw new AssertionError("a line among terminal lines names no terminal: " + line);
    }
    Path log = scratch.resolve("terminal-" + terminal.group(1) + ".log");
    try {
      background.add(
          new ProcessBuilder("bash", "-c", line)
              .directory(NodeScript.projectDir().toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start());
      logs.add(log);
    } catch (IOException e) {
      throw new AssertionError("cannot start " + line + ": " + e.getMessage(), e);
    }
  }

  private String backgroundLogs() {
    StringBuilder text = new StringBuilder();
    for (Path log : logs) {
      try {
        List<String> lines = Files.readAllLines(log);
        text.append("\n--- ")
            .append(log.getFileName())
            .append(" (last lines)\n")
            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
      } catch (IOException e) {
        text.append("\n--- ").append(log.getFileName()).append(": unreadable");
      }
    }
    return text.toString();
  }

  /** Stops the background programs (SIGTERM, then SIGKILL after 10 s), children first. */
  @Override
  public void close() {
    for (Process process : background) {
      List<ProcessHandle> children = process.descendants().toList();
      children.forEach(ProcessHandle::destroy);
      process.destroy();
      for (ProcessHandle child : children) {
        child.onExit().completeOnTimeout(child, 10, TimeUnit.SECONDS).join();
        child.destroyForcibly();
      }
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
