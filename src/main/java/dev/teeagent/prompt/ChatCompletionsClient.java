package dev.teeagent.prompt;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.config.PromptSettings;
import dev.teeagent.outbound.LazyClient;
import dev.teeagent.outbound.OutboundHttp;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs to {@code {llm_base_url}/chat/completions} with OkHttp on the agent's outbound base ({@link
 * OutboundHttp#client}: TLS checked against the JDK's CA certificates, the image's, with no way to
 * turn that off; no redirects; no proxy; a deadline on every call), and transient failures (429,
 * 502, 503, refused connections) are retried a bounded number of times with backoff, honouring a
 * short enough Retry-After.
 */
public final class ChatCompletionsClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChatCompletionsClient.class);
  private static final MediaType JSON = MediaType.get("application/json");
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
  private static final int MAX_ERROR_BODY = 64 * 1024;

  private final LazyClient http;
  private final PromptSettings settings;
  private final ObjectMapper mapper;
  private final String userAgent;
  private final Clock clock;

  ChatCompletionsClient(
      LazyClient http,
      PromptSettings settings,
      ObjectMapper mapper,
      String userAgent,
      Clock clock) {
    this.http = http;
    this.settings = settings;
    this.mapper = mapper;
    this.userAgent = userAgent;
    this.clock = clock;
  }

  public static ChatCompletionsClient create(
      PromptSettings settings, ObjectMapper mapper, String version, Clock clock) {
    LazyClient http =
        new LazyClient(
            () ->
                OutboundHttp.client(
                        settings.connectTimeout(), settings.readTimeout(), settings.callTimeout())
                    // https for providers; cleartext only reaches loopback (the llm_base_url
                    // rule).
                    .connectionSpecs(List.of(ConnectionSpec.MODERN_TLS, ConnectionSpec.CLEARTEXT))
                    // Keep a connection per call in flight: OkHttp's default (5 idle) would
                    // reconnect and redo TLS under load.
                    .connectionPool(
                        new ConnectionPool(settings.maxConcurrent(), 5, TimeUnit.MINUTES))
                    .build());
    return new ChatCompletionsClient(http, settings, mapper, "tee-agent/" + version, clock);
  }

  /**
   * Sends {@code body} and returns the provider's successful (2xx) answer, open: the caller reads
   * and closes it. Every failure, after retries, is an {@link dev.teeagent.error.AgentException}.
   */
  Response send(PromptVariables variables, byte[] body, boolean stream) {
    Request request = request(variables, body, stream);
    long deadline = System.nanoTime() + settings.callTimeout().toNanos();
    for (int attempt = 0; ; attempt++) {
      long started = System.nanoTime();
      Call call = http.get().newCall(request);
      call.timeout().timeout(Math.max(1, deadline - started), TimeUnit.NANOSECONDS);
      Response response;
      try {
        response = call.execute();
      } catch (IOException e) {
        log(request, attempt, started, e.getClass().getSimpleName());
        Duration wait = backoff(attempt);
        // Nothing reached the provider when the connection was refused: safe to try again.
        if (e instanceof ConnectException && mayRetry(attempt, wait, deadline)) {
          pause(wait);
          continue;
        }
        throw ProviderFailure.beforeAnswer(e);
      }
      log(request, attempt, started, "HTTP " + response.code());
      if (response.isSuccessful()) {
        return response;
      }
      try (response) {
        Long retryAfter = retryAfterSeconds(response);
        Duration wait = retryAfter == null ? backoff(attempt) : Duration.ofSeconds(retryAfter);
        if (isTransient(response.code())
            && wait.compareTo(settings.maxRetryWait()) <= 0
            && mayRetry(attempt, wait, deadline)) {
          pause(wait);
          continue;
        }
        throw ProviderFailure.ofStatus(
            response.code(), errorBody(response), variables.apiKey(), retryAfter, mapper);
      }
    }
  }

  private Request request(PromptVariables variables, byte[] body, boolean stream) {
    Request.Builder request =
        new Request.Builder()
            .url(variables.completionsUrl())
            .header("Authorization", variables.apiKey().bearer())
            .header("Accept", stream ? "text/event-stream" : "application/json")
            .header("User-Agent", userAgent)
            .post(RequestBody.create(body, JSON));
    variables.attributionHeaders().forEach(request::header);
    return request.build();
  }

  private static boolean isTransient(int status) {
    return status == 429 || status == 502 || status == 503;
  }

  private boolean mayRetry(int attempt, Duration wait, long deadline) {
    return attempt < settings.maxRetries() && System.nanoTime() + wait.toNanos() < deadline;
  }

  private Duration backoff(int attempt) {
    Duration wait = FIRST_BACKOFF.multipliedBy(1L << Math.min(attempt, 10));
    return wait.compareTo(settings.maxRetryWait()) > 0 ? settings.maxRetryWait() : wait;
  }

  /** Retry-After in whole seconds (delta or HTTP date), or null when absent or unreadable. */
  private Long retryAfterSeconds(Response response) {
    String value = response.header("Retry-After");
    if (value == null) {
      return null;
    }
    if (value.strip().matches("\\d{1,9}")) {
      return Long.parseLong(value.strip());
    }
    Date date = response.headers().getDate("Retry-After");
    if (date == null) {
      return null;
    }
    return Math.max(0, Duration.between(clock.instant(), date.toInstant()).toSeconds());
  }

  private static void pause(Duration wait) {
    try {
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProviderFailure.beforeAnswer(new InterruptedIOException("interrupted"));
    }
  }

  /** The start of an error answer, enough for its {@code error.message}; null if unreadable. */
  private static byte[] errorBody(Response response) {
    try {
      BufferedSource source = response.body().source();
      source.request(MAX_ERROR_BODY);
      return source.getBuffer().readByteArray(Math.min(source.getBuffer().size(), MAX_ERROR_BODY));
    } catch (IOException unreadable) {
      return null;
    }
  }

  private static void log(Request request, int attempt, long startedNanos, String outcome) {
    LOG.info(
        "llm {} attempt {}: {} in {} ms",
        request.url().host(),
        attempt + 1,
        outcome,
        (System.nanoTime() - startedNanos) / 1_000_000);
  }

  @Override
  public void close() {
    http.close();
  }
}
