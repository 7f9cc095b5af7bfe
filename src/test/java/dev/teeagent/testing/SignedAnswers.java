package dev.teeagent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps every signed answer the integration tests receive (the exact body bytes, one file each) in
 * {@code target/signed-answers}, so that {@code make test} can check all of them afterwards with an
 * independent verifier (src/test/js/verify-all-signed.mjs: npm canonicalize + ethers).
 */
public final class SignedAnswers {
  private static final AtomicLong COUNT = new AtomicLong();
  private static final long RUN = ProcessHandle.current().pid();

  private SignedAnswers() {}

  public static Path directory() {
    return NodeScript.projectDir().resolve("target/signed-answers");
  }

  /** Records {@code body} when it is a signed answer (a JSON object with a signature member). */
  public static void record(byte[] body) {
    if (body == null || body.length == 0 || body[0] != '{') {
      return;
    }
    String text = new String(body, StandardCharsets.UTF_8);
    if (!text.contains("\"signature\":\"0x")) {
      return;
    }
    try {
      Files.createDirectories(directory());
      Files.write(directory().resolve(RUN + "-" + COUNT.incrementAndGet() + ".json"), body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void record(String body) {
    record(body.getBytes(StandardCharsets.UTF_8));
  }
}
