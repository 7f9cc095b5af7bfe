package dev.teeagent.http;

import java.io.IOException;

/**
 * A reply written as server-sent events: the producer sends events as they come and returns the
 * payload of the last event, which is signed like any answer ({@code event: signed}). Until the
 * producer sends its first event nothing is written, so a failure before that is an ordinary signed
 * error answer with its own HTTP status; a failure after it becomes the signed last event.
 */
public record EventStream(Producer producer) {
  @FunctionalInterface
  public interface Producer {
    /**
     * Sends events to {@code sink} and returns the final payload.
     *
     * @throws IOException only when the sink fails (the client has gone)
     */
    Object produce(Sink sink) throws IOException;
  }

  @FunctionalInterface
  public interface Sink {
    /** Writes one whole event (its bytes end with a blank line) and flushes it. */
    void send(byte[] event) throws IOException;
  }
}
