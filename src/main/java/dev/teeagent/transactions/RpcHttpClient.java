package dev.teeagent.transactions;

import dev.teeagent.outbound.OutboundHttp;
import java.io.IOException;
import java.time.Duration;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;
import okio.Source;

/**
 * The one HTTP client for JSON-RPC calls, configured against a hostile RPC or host: the agent's
 * outbound base ({@link OutboundHttp#client}: no proxy, no redirects — a 3xx is an error — TLS
 * verified, a deadline on every call), no silent retries of a POST, and a cap on the size of any
 * answer.
 */
final class RpcHttpClient {
  private RpcHttpClient() {}

  static OkHttpClient create(Duration callTimeout, long maxResponseBytes) {
    return OutboundHttp.client(callTimeout, callTimeout, callTimeout)
        .retryOnConnectionFailure(false)
        .addInterceptor(new BoundedAnswers(maxResponseBytes))
        .build();
  }

  /** The RPC answered with a non-2xx HTTP status (a redirect included). */
  static final class HttpStatusException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;

    HttpStatusException(int status) {
      super("HTTP " + status);
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  /** The RPC's answer was larger than the cap. */
  static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException(long limit) {
      super("answer larger than " + limit + " bytes");
    }
  }

  /** Refuses non-2xx answers and stops reading a body past the cap (declared or streamed). */
  private record BoundedAnswers(long maxBytes) implements Interceptor {
    @Override
    public Response intercept(Chain chain) throws IOException {
      Response response = chain.proceed(chain.request());
      if (!response.isSuccessful()) {
        response.close();
        throw new HttpStatusException(response.code());
      }
      ResponseBody body = response.body();
      if (body.contentLength() > maxBytes) {
        response.close();
        throw new TooLargeException(maxBytes);
      }
      BufferedSource bounded = Okio.buffer(new CountingSource(body.source(), maxBytes));
      return response
          .newBuilder()
          .body(ResponseBody.create(bounded, body.contentType(), body.contentLength()))
          .build();
    }
  }

  private static final class CountingSource extends ForwardingSource {
    private final long maxBytes;
    private long read;

    CountingSource(Source delegate, long maxBytes) {
      super(delegate);
      this.maxBytes = maxBytes;
    }

    @Override
    public long read(Buffer sink, long byteCount) throws IOException {
      long n = super.read(sink, byteCount);
      if (n > 0) {
        read += n;
        if (read > maxBytes) {
          throw new TooLargeException(maxBytes);
        }
      }
      return n;
    }
  }
}
