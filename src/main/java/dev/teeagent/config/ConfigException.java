package dev.teeagent.config;

/** A setting is missing or invalid; the message names the flag or variable. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
