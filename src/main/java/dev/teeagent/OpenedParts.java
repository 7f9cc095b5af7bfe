package dev.teeagent;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a start has opened so far, closed in reverse order: by {@link App#close()} after a run, and
 * by the start itself when a later part fails, so that a failed start leaves no NSM, client, thread
 * or socket behind.
 */
final class OpenedParts implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(App.class);

  private record Part(String name, AutoCloseable closeable) {}

  private final Deque<Part> parts = new ArrayDeque<>();

  /** Registers {@code part}, to be closed before every part registered earlier. */
  synchronized <T extends AutoCloseable> T add(String name, T part) {
    parts.push(new Part(name, part));
    return part;
  }

  /**
   * Registers a part still being made on another thread: closing waits for it and closes what it
   * made (a part that failed to be made has nothing to close).
   */
  synchronized <T extends AutoCloseable> CompletableFuture<T> add(
      String name, CompletableFuture<T> part) {
    parts.push(new Part(name, () -> madeOrNull(part)));
    return part;
  }

  private static void madeOrNull(CompletableFuture<? extends AutoCloseable> part) throws Exception {
    AutoCloseable made;
    try {
      made = part.join();
    } catch (CompletionException | java.util.concurrent.CancellationException e) {
      return; // never made; its own failure is reported by whoever joins it
    }
    made.close();
  }

  /** Closes every part, last opened first; one that fails is logged and the others still close. */
  @Override
  public void close() {
    while (true) {
      Part part;
      synchronized (this) {
        part = parts.poll();
      }
      if (part == null) {
        return;
      }
      closeLogging(part.name(), part.closeable());
    }
  }

  static void closeLogging(String part, AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.warn("stopping {} failed: {}", part, e.toString());
    }
  }
}
