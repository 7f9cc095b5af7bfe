package dev.teeagent.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a file a user named in an option; a failure says which option and what to do. */
final class UserFiles {
  private UserFiles() {}

  static byte[] read(String option, Path file) throws CliFailure {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new CliFailure(cannotRead(option, file, e));
    }
  }

  static String cannotWrite(String option, Path file) {
    return option + " " + file + ": cannot write it — check that its folder exists and is writable";
  }

  static String cannotRead(String option, Path file, IOException e) {
    String why =
        switch (e) {
          case NoSuchFileException missing -> "there is no such file";
          case AccessDeniedException denied -> "permission denied";
          default -> Files.isDirectory(file) ? "it is a directory" : "it cannot be read";
        };
    return option + " " + file + ": " + why + " — check the path";
  }
}
