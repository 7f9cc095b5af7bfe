package dev.teeagent.http;

import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;

/** The {@code X-Client-Nonce} header: at most 64 printable ASCII characters, echoed when signed. */
final class ClientNonce {
  static final String HEADER = "X-Client-Nonce";
  private static final int MAX_LENGTH = 64;

  private ClientNonce() {}

  /**
   * The header's value, or null when absent; refuses anything that is not short printable ASCII.
   */
  static String validate(String header) {
    if (header == null) {
      return null;
    }
    if (header.isEmpty() || header.length() > MAX_LENGTH) {
      throw new AgentException(
          ErrorCode.BAD_CLIENT_NONCE, HEADER + " must be 1 to 64 printable ASCII characters");
    }
    for (int i = 0; i < header.length(); i++) {
      char c = header.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw new AgentException(
            ErrorCode.BAD_CLIENT_NONCE, HEADER + " must be 1 to 64 printable ASCII characters");
      }
    }
    return header;
  }
}
