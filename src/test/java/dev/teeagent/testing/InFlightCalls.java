package dev.teeagent.testing;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether any thread — virtual ones included, which {@code Thread.getAllStackTraces()} misses — is
 * still inside a call to the LLM provider. Read from a full JSON thread dump of this JVM.
 */
public final class InFlightCalls {
  private static final String CLIENT_FRAME = "dev.teeagent.prompt.ChatCompletionsClient";
  private static final String SERVICE_FRAME = "dev.teeagent.prompt.PromptService";
  private static final String OKHTTP_FRAME = "okhttp3.internal.connection.RealCall";

  private InFlightCalls() {}

  /** Waits up to {@code millis} for every provider call to end; fails with the dump if not. */
  public static void awaitNone(long millis) {
    long deadline = System.currentTimeMillis() + millis;
    String dump = dump();
    while (stuck(dump)) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("a thread is still in a provider call:\n" + dump);
      }
      sleep();
      dump = dump();
    }
  }

  private static boolean stuck(String dump) {
    return dump.contains(CLIENT_FRAME)
        || dump.contains(SERVICE_FRAME)
        || dump.contains(OKHTTP_FRAME);
  }

  private static String dump() {
    try {
      Path file = Files.createTempFile("threads", ".json");
      Files.delete(file); // dumpThreads refuses to overwrite
      try {
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
            .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
        return Files.readString(file, StandardCharsets.UTF_8);
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot dump threads", e);
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
