package dev.teeagent.cli;

import dev.teeagent.tls.PinningTrustManager;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * The CLIs' HTTP client: no redirects (the host in between is not trusted to choose where the CLI
 * talks to) and one overall deadline per call. The JDK's request timeout ends when the headers
 * arrive, so a host that sends headers and then drips the body one byte at a time would hold a
 * reader forever; here a body stream is closed when the call's deadline passes, and the blocked
 * read fails with {@link HttpTimeoutException}. Signed answers are read through {@link
 * dev.teeagent.verifier.SignedFetch}, which also says what a failed call means.
 */
final class BoundedHttpClient extends HttpClient {
  /** Default overall deadline of one call: headers and body. */
  static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          task -> Thread.ofPlatform().daemon().name("cli-http-deadline").unstarted(task));

  private final HttpClient delegate;
  private final Duration deadline;

  BoundedHttpClient(Duration deadline) {
    this(deadline, new PinningTrustManager());
  }

  /** A client whose TLS trusts only through {@code pins} (an agent's attested key, no CA). */
  BoundedHttpClient(Duration deadline, PinningTrustManager pins) {
    this.deadline = deadline;
    this.delegate =
        HttpClient.newBuilder()
            .sslContext(pins.sslContext(new SecureRandom()))
            .connectTimeout(deadline.compareTo(CONNECT_TIMEOUT) < 0 ? deadline : CONNECT_TIMEOUT)
            .followRedirects(Redirect.NEVER)
            .proxy(HttpClient.Builder.NO_PROXY)
            .build();
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    Duration timeout =
        request.timeout().filter(asked -> asked.compareTo(deadline) < 0).orElse(deadline);
    HttpRequest bounded =
        HttpRequest.newBuilder(request, (name, value) -> true).timeout(timeout).build();
    HttpResponse<T> response = delegate.send(bounded, handler);
    if (response.body() instanceof InputStream body) {
      @SuppressWarnings("unchecked")
      T guarded = (T) new DeadlineStream(body, Math.max(0, end - System.nanoTime()));
      return new Replaced<>(response, guarded);
    }
    return response;
  }

  /** A body that is closed, and fails its reader, once the call's deadline has passed. */
  private final class DeadlineStream extends FilterInputStream {
    private final AtomicBoolean expired = new AtomicBoolean();
    private final ScheduledFuture<?> alarm;

    DeadlineStream(InputStream in, long remainingNanos) {
      super(in);
      this.alarm = TIMER.schedule(this::expire, remainingNanos, TimeUnit.NANOSECONDS);
    }

    private void expire() {
      expired.set(true);
      try {
        in.close();
      } catch (IOException ignored) {
        // The reader is told by the flag; closing only wakes it.
      }
    }

    private void checkDeadline() throws HttpTimeoutException {
      if (expired.get()) {
        throw new HttpTimeoutException(
            "the whole answer did not arrive within " + deadline.toSeconds() + " s");
      }
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      checkDeadline();
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n;
      try {
        n = super.read(buffer, offset, length);
      } catch (IOException e) {
        checkDeadline();
        throw e;
      }
      checkDeadline();
      return n;
    }

    @Override
    public void close() throws IOException {
      alarm.cancel(false);
      super.close();
    }
  }

  /** The same response with another body. */
  private record Replaced<T>(HttpResponse<T> response, T body) implements HttpResponse<T> {
    @Override
    public int statusCode() {
      return response.statusCode();
    }

    @Override
    public HttpRequest request() {
      return response.request();
    }

    @Override
    public Optional<HttpResponse<T>> previousResponse() {
      return response.previousResponse();
    }

    @Override
    public HttpHeaders headers() {
      return response.headers();
    }

    @Override
    public Optional<SSLSession> sslSession() {
      return response.sslSession();
    }

    @Override
    public URI uri() {
      return response.uri();
    }

    @Override
    public Version version() {
      return response.version();
    }
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    throw new UnsupportedOperationException("the CLIs call synchronously");
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request,
      HttpResponse.BodyHandler<T> handler,
      HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
    throw new UnsupportedOperationException("the CLIs call synchronously");
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return delegate.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return delegate.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return delegate.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return delegate.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return delegate.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return delegate.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return delegate.authenticator();
  }

  @Override
  public Version version() {
    return delegate.version();
  }

  @Override
  public Optional<Executor> executor() {
    return delegate.executor();
  }
}
