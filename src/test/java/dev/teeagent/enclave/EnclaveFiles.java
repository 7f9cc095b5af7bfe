package dev.teeagent.enclave;

import dev.teeagent.testing.ExternalCommand;
import dev.teeagent.testing.NodeScript;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The project's own files, as the tests of the enclave build read them. */
final class EnclaveFiles {
  private EnclaveFiles() {}

  static Path path(String relative) {
    return NodeScript.projectDir().resolve(relative);
  }

  static String read(String relative) {
    try {
      return Files.readString(path(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every shell script of the project (tracked or new, not ignored): files with an sh shebang. */
  static List<String> shellScripts() {
    ExternalCommand.Result files =
        ExternalCommand.of("git", "ls-files", "--cached", "--others", "--exclude-standard").run();
    if (files.exitCode() != 0) {
      throw new AssertionError("git ls-files failed: " + files.output());
    }
    return files.stdoutLines().stream()
        .filter(file -> Files.isRegularFile(path(file)))
        .filter(EnclaveFiles::hasShellShebang)
        .sorted()
        .toList();
  }

  private static boolean hasShellShebang(String file) {
    try (var lines = Files.lines(path(file))) {
      String first = lines.findFirst().orElse("");
      return first.matches("#!\\s*\\S*/(env\\s+)?(ba|da|a)?sh\\b.*");
    } catch (IOException | UncheckedIOException notText) {
      return false;
    }
  }
}
