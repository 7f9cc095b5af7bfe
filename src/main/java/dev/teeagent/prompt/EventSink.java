package dev.teeagent.prompt;

import java.io.IOException;

/** Where a streamed prompt's server-sent events go, as they come (the HTTP layer's response). */
@FunctionalInterface
public interface EventSink {
  /** Writes one whole event and flushes it; throws when the client has gone. */
  void send(byte[] event) throws IOException;
}
