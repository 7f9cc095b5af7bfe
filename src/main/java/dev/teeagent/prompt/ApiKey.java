package dev.teeagent.prompt;

/**
 * The provider's API key (the hidden variable {@code llm_api_key}). It leaves the agent only in the
 * Authorization header of calls to the provider; {@link #toString()} never shows it.
 */
final class ApiKey {
  private final String value;

  ApiKey(String value) {
    this.value = value;
  }

  String bearer() {
    return "Bearer " + value;
  }

  /**
   * {@code text} with the key, and any 12-character piece of it, cut out: a provider's error
   * message is shown to clients and might quote what it received.
   */
  String scrub(String text) {
    if (text == null) {
      return null;
    }
    String scrubbed = text.replace(value, "[redacted]");
    int piece = Math.min(12, value.length());
    for (int i = 0; i + piece <= value.length(); i++) {
      if (scrubbed.contains(value.substring(i, i + piece))) {
        return "[message withheld: it quoted part of the API key]";
      }
    }
    return scrubbed;
  }

  @Override
  public String toString() {
    return "ApiKey[redacted]";
  }
}
