package dev.teeagent.transactions;

import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import dev.teeagent.outbound.OutboundHttp;

/**
 * The {@code rpc_url} of a request: https, or plain http only to a literal loopback address (local
 * chains and tests), by the same rule as {@code tx_allowed_rpc_urls} ({@link
 * OutboundHttp#isAllowedUrl}): a host name is never accepted for plain http, because the parent
 * instance answers the enclave's DNS. {@link #text()} is kept exactly as sent, since {@code
 * tx_allowed_rpc_urls} matches it exactly.
 */
public record RpcUrl(String text) {
  public RpcUrl {
    if (text == null) {
      throw new IllegalArgumentException("text is required");
    }
  }

  public static RpcUrl parse(String text) {
    if (text == null || text.isEmpty() || text.length() > OutboundHttp.MAX_URL_LENGTH) {
      throw invalid("rpc_url must be a URL of at most 2048 characters");
    }
    if (!OutboundHttp.isAllowedUrl(text)) {
      throw invalid(
          "rpc_url must be an https URL with a host, no user info and no fragment; plain http is"
              + " accepted only to a literal loopback address (127.0.0.1, [::1])");
    }
    return new RpcUrl(text);
  }

  private static AgentException invalid(String message) {
    return new AgentException(ErrorCode.INVALID_FIELD, message);
  }

  @Override
  public String toString() {
    return text;
  }
}
