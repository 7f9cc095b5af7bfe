package dev.teeagent.error;

/**
 * A refusal the client may see. The message is shown to clients verbatim, so it must be written for
 * them: never built from secrets, exception text of crypto, NSM or upstream libraries, or hidden
 * values.
 */
public class AgentException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;

  public AgentException(ErrorCode code, String clientMessage) {
    super(clientMessage, null, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public String clientMessage() {
    return getMessage();
  }
}
