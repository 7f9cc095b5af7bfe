package dev.teeagent.http;

/**
 * What was asked, as signed into every answer: a signed reply to one request can never pass as the
 * reply to another. {@code path} and {@code query} are raw (as received, not decoded); {@code
 * bodyHash} is 0x + keccak256 of the raw body bytes, or null when there was no body.
 */
public record RequestEcho(String method, String path, String query, String bodyHash) {
  public RequestEcho {
    if (method == null || path == null) {
      throw new IllegalArgumentException("method and path are required");
    }
  }
}
