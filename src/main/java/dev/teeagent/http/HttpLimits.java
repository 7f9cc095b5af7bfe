package dev.teeagent.http;

import java.time.Duration;

/**
 * The agent's own bounds on what clients may make it hold (issue 10 §1). Heap is 512 MiB in the
 * enclave and the process exits on the first OutOfMemoryError, so every buffer a client can cause
 * is counted here, never sized by the client: connections, requests in flight, body bytes, and the
 * JSON a body may hold. See DESIGN §9 for how they add up.
 */
final class HttpLimits {
  /** Open connections; beyond it Jetty stops accepting until one closes. */
  static final int MAX_CONNECTIONS = 512;

  /** Requests being handled at once; beyond it a signed 503 server_busy, the body unread. */
  static final int MAX_IN_FLIGHT = 128;

  /** One request body. */
  static final int MAX_BODY_BYTES = 1024 * 1024;

  /**
   * Heap that all request bodies together may hold, with what their parsing makes of them. A body
   * reserves its length plus {@link #parseAllowance} before one byte is read, and keeps the
   * reservation until its answer is written; past the budget, a signed 503 server_busy.
   */
  static final long BODY_BUDGET_BYTES = 128L * 1024 * 1024;

  /** JSON tokens in one body: bounds the nodes of free-form members (response_format…) too. */
  static final int MAX_JSON_TOKENS = 100_000;

  static final int MAX_JSON_DEPTH = 64;

  /** Silence on a connection (headers or body) before Jetty closes it. */
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);

  /** A whole body, however steadily it trickles in. */
  static final Duration BODY_DEADLINE = Duration.ofSeconds(30);

  /** A request line and headers; Jetty answers 414 or 431 beyond. */
  static final int MAX_HEADER_BYTES = 8 * 1024;

  /**
   * What parsing {@code length} body bytes may allocate: each JSON token becomes at most ~100 bytes
   * of nodes or records, a token takes at least one byte, and there are at most {@link
   * #MAX_JSON_TOKENS}.
   */
  static long parseAllowance(long length) {
    return Math.min(length, MAX_JSON_TOKENS) * 100;
  }

  private HttpLimits() {}
}
