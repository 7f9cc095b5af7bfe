package dev.teeagent.outbound;

import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;

/**
 * How the agent calls out (the LLM provider, JSON-RPC nodes). The parent instance relays every byte
 * and answers the enclave's DNS (DESIGN §1), so every outbound call follows one rule and one client
 * base: a URL is https, or plain http to a literal loopback address only; proxy settings are
 * ignored; redirects are never followed; TLS is verified against the runtime's CA certificates
 * (OkHttp's default, which nothing here relaxes); every call has a deadline.
 */
public final class OutboundHttp {
  /** The longest URL the agent calls (an RPC URL in a request, or one listed by the operator). */
  public static final int MAX_URL_LENGTH = 2048;

  private static final Pattern LOOPBACK_V4 = Pattern.compile("127(\\.[0-9]{1,3}){3}");

  private OutboundHttp() {}

  /**
   * https with a host, or http to a literal loopback address; no user info, no fragment. Checked
   * when the operator sets a URL and again when the agent calls it.
   */
  public static boolean isAllowedUrl(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      return false;
    }
    if (!uri.isAbsolute()
        || uri.getHost() == null
        || uri.getRawUserInfo() != null
        || uri.getRawFragment() != null) {
      return false;
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    return scheme.equals("https") || (scheme.equals("http") && isLiteralLoopback(uri.getHost()));
  }

  /**
   * The base of every outbound OkHttp client: no proxy, no redirects, and these timeouts (a write
   * may stall as long as a read). Callers add what is theirs (connection pool, retries, limits).
   */
  public static OkHttpClient.Builder client(Duration connect, Duration read, Duration call) {
    return new OkHttpClient.Builder()
        .proxy(Proxy.NO_PROXY)
        .followRedirects(false)
        .followSslRedirects(false)
        .connectTimeout(connect)
        .readTimeout(read)
        .writeTimeout(read)
        .callTimeout(call);
  }

  /** 127.x.y.z or [::1] written as literals: a name would be resolved by the host's DNS. */
  private static boolean isLiteralLoopback(String host) {
    if (host.equals("[::1]")) {
      return true;
    }
    if (!LOOPBACK_V4.matcher(host).matches()) {
      return false;
    }
    for (String octet : host.split("\\.")) {
      if (Integer.parseInt(octet) > 255) {
        return false;
      }
    }
    return true;
  }
}
