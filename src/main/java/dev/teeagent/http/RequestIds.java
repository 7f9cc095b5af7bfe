package dev.teeagent.http;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ids the agent gives the requests it refuses or fails, so that an operator finds a client's signed
 * error in the log: a boot id drawn at start and a counter, unique across restarts. Never taken
 * from a client, who could otherwise forge or collide the log lines of others.
 */
final class RequestIds {
  private final String bootId;
  private final AtomicLong counter = new AtomicLong();

  RequestIds(SecureRandom random) {
    byte[] boot = new byte[6];
    random.nextBytes(boot);
    this.bootId = HexFormat.of().formatHex(boot);
  }

  /** {@code "3f9a1c2be0d4-17"}: the boot, then the request's number within it. */
  String next() {
    return bootId + "-" + counter.incrementAndGet();
  }
}
