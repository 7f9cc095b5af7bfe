package dev.teeagent.http;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The heap all request bodies together may hold ({@link HttpLimits#BODY_BUDGET_BYTES}), reserved in
 * KiB before a body is read and given back when its answer is written.
 */
final class BodyBudget {
  private final Semaphore kib;

  BodyBudget(long bytes) {
    this.kib = new Semaphore(Math.toIntExact(bytes / 1024));
  }

  /** A reservation of {@code bytes}, or null when the budget has not that much left now. */
  Reservation tryReserve(long bytes) {
    int units = Math.toIntExact((bytes + 1023) / 1024);
    return kib.tryAcquire(units) ? new Reservation(units) : null;
  }

  /** KiB left, for tests and logs. */
  int availableKib() {
    return kib.availablePermits();
  }

  /** Held bytes; closing it twice gives them back once. */
  final class Reservation implements AutoCloseable {
    private final int units;
    private final AtomicBoolean open = new AtomicBoolean(true);

    private Reservation(int units) {
      this.units = units;
    }

    @Override
    public void close() {
      if (open.compareAndSet(true, false)) {
        kib.release(units);
      }
    }
  }
}
