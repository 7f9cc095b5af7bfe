package dev.teeagent.transactions;

import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code rpc_url} of a request: https, or plain http only to a literal loopback address (local
 * chains and tests). A host name is never accepted for plain http, because the parent instance
 * answers the enclave's DNS and could point "localhost" anywhere. {@link #text()} is kept exactly
 * as sent, since {@code tx_allowed_rpc_urls} matches it exactly.
 */
public record RpcUrl(String text, URI uri) {
  static final int MAX_LENGTH = 2048;
  private static final Pattern LOOPBACK_V4 = Pattern.compile("127(\\.[0-9]{1,3}){3}");

  public RpcUrl {
    if (text == null || uri == null) {
      throw new IllegalArgumentException("text and uri are required");
    }
  }

  public static RpcUrl parse(String text) {
    if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
      throw invalid("rpc_url must be a URL of at most 2048 characters");
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw invalid("rpc_url is not a valid URL");
    }
    if (!uri.isAbsolute()
        || uri.getHost() == null
        || uri.getRawUserInfo() != null
        || uri.getRawFragment() != null) {
      throw invalid("rpc_url must be an absolute URL with a host, no user info and no fragment");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("https")) {
      return new RpcUrl(text, uri);
    }
    if (scheme.equals("http") && isLiteralLoopback(uri.getHost())) {
      return new RpcUrl(text, uri);
    }
    throw invalid(
        "rpc_url must be https; plain http is accepted only to a literal loopback address"
            + " (127.0.0.1, [::1])");
  }

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

  private static AgentException invalid(String message) {
    return new AgentException(ErrorCode.INVALID_FIELD, message);
  }

  @Override
  public String toString() {
    return text;
  }
}
