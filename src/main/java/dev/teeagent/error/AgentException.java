package dev.teeagent.error;

import java.util.Map;

/**
 * A refusal the client may see. The message is shown to clients verbatim, so it must be written for
 * them: never built from secrets, exception text of crypto, NSM or upstream libraries, or hidden
 * values. The same holds for {@link #details()}, extra members of the error object (e.g. an
 * upstream's status).
 */
public class AgentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A detail that also becomes the answer's {@code Retry-After} header (whole seconds). */
  public static final String RETRY_AFTER_SECONDS = "retry_after_seconds";

  private final ErrorCode code;
  private final Map<String, Object> details;

  public AgentException(ErrorCode code, String clientMessage) {
    this(code, clientMessage, Map.of());
  }

  public AgentException(ErrorCode code, String clientMessage, Map<String, ?> details) {
    super(clientMessage, null, false, false);
    this.code = code;
    this.details = Map.copyOf(details);
  }

  /**
   * The one way to refuse with 429: every rate limit tells the client, in the body and in the
   * {@code Retry-After} header, how many whole seconds to wait (at least 1).
   */
  public static AgentException rateLimited(String clientMessage, long retryAfterSeconds) {
    return new AgentException(
        ErrorCode.RATE_LIMITED,
        clientMessage,
        Map.of(RETRY_AFTER_SECONDS, Math.max(1, retryAfterSeconds)));
  }

  public ErrorCode code() {
    return code;
  }

  public String clientMessage() {
    return getMessage();
  }

  /** Extra members of the signed error object, for clients; empty for most refusals. */
  public Map<String, Object> details() {
    return details;
  }
}
