package dev.teeagent.enclave;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A Dockerfile read into instructions (continuation lines joined, comments dropped), by stage. */
record Dockerfile(String text, List<Instruction> instructions) {
  /** One instruction: its keyword (upper case), its arguments, and the index of its stage. */
  record Instruction(String keyword, String arguments, int stage) {}

  /** A FROM: the image it starts from, the stage it opens and the name given with AS. */
  record From(String image, int stage, String name) {}

  static Dockerfile load(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Dockerfile parse(String text) {
    List<Instruction> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int stage = -1;
    for (String line : text.lines().toList()) {
      String stripped = line.strip();
      if (current.isEmpty() && (stripped.isEmpty() || stripped.startsWith("#"))) {
        continue;
      }
      if (!current.isEmpty() && stripped.startsWith("#")) {
        continue; // a comment inside a continued instruction
      }
      if (stripped.endsWith("\\")) {
        current.append(stripped, 0, stripped.length() - 1).append(' ');
        continue;
      }
      current.append(stripped);
      String joined = current.toString().strip().replaceAll("\\s+", " ");
      current.setLength(0);
      int space = joined.indexOf(' ');
      String keyword = (space < 0 ? joined : joined.substring(0, space)).toUpperCase(Locale.ROOT);
      String arguments = space < 0 ? "" : joined.substring(space + 1);
      if (keyword.equals("FROM")) {
        stage++;
      }
      instructions.add(new Instruction(keyword, arguments, stage));
    }
    return new Dockerfile(text, List.copyOf(instructions));
  }

  List<Instruction> instructions(String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
  }

  List<From> froms() {
    return instructions("FROM").stream()
        .map(
            i -> {
              String[] words = i.arguments().split(" ");
              String name = words.length >= 3 && words[1].equalsIgnoreCase("AS") ? words[2] : "";
              return new From(words[0], i.stage(), name);
            })
        .toList();
  }

  List<String> stageNames() {
    return froms().stream().map(From::name).toList();
  }
}
