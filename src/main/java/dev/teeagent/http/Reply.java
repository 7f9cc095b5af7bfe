package dev.teeagent.http;

/** A handler's answer before signing: the HTTP status and the payload (a record or a JSON tree). */
public record Reply(int status, Object payload) {
  public Reply {
    if (status < 200 || status > 299) {
      throw new IllegalArgumentException("handlers answer 2xx; refusals are exceptions");
    }
    if (payload == null) {
      throw new IllegalArgumentException("payload is required");
    }
  }

  public static Reply ok(Object payload) {
    return new Reply(200, payload);
  }
}
