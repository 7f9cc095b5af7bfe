package dev.teeagent.transactions;

import dev.teeagent.outbound.LazyClient;
import java.time.Duration;

/** Opens {@link ChainRpc}s over one shared, hardened HTTP client (see {@link RpcHttpClient}). */
public final class RpcConnector implements AutoCloseable {
  /** Per JSON-RPC call, connect to last byte. */
  public static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  /** No answer the agent needs is near this size; a larger one is an attack or a mistake. */
  public static final long MAX_ANSWER_BYTES = 1024 * 1024;

  private final LazyClient client;

  public RpcConnector(Duration callTimeout, long maxAnswerBytes) {
    this.client = new LazyClient(() -> RpcHttpClient.create(callTimeout, maxAnswerBytes));
  }

  public static RpcConnector withDefaults() {
    return new RpcConnector(CALL_TIMEOUT, MAX_ANSWER_BYTES);
  }

  ChainRpc connect(RpcUrl url) {
    return new ChainRpc(url, client.get());
  }

  /** Ends the client's threads and pooled connections (the agent stops, or its start failed). */
  @Override
  public void close() {
    client.close();
  }
}
