package dev.teeagent.outbound;

import java.util.function.Supplier;
import okhttp3.OkHttpClient;

/**
 * An outbound client built at its first call, not at the agent's start: building one loads the TLS
 * stack and parses the runtime's CA certificates, a good part of the start that the first signed
 * answer does not need (bench/start-time.sh). The first call to the LLM provider or an RPC node
 * pays it once instead.
 */
public final class LazyClient {
  private final Supplier<OkHttpClient> build;
  private volatile OkHttpClient client;

  public LazyClient(Supplier<OkHttpClient> build) {
    this.build = build;
  }

  public OkHttpClient get() {
    OkHttpClient built = client;
    if (built == null) {
      synchronized (this) {
        built = client;
        if (built == null) {
          built = build.get();
          client = built;
        }
      }
    }
    return built;
  }

  /** Stops the client's threads and drops its connections, if it was ever built. */
  public void close() {
    OkHttpClient built;
    synchronized (this) {
      built = client;
    }
    if (built != null) {
      built.dispatcher().executorService().shutdown();
      built.connectionPool().evictAll();
    }
  }
}
