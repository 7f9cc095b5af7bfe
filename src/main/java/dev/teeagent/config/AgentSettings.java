package dev.teeagent.config;

import dev.teeagent.crypto.Address;
import java.util.Map;

/**
 * Settings of one agent run, validated at start. {@code teeName} and {@code operator} are baked
 * into the enclave image at build time (so they are covered by the PCRs); for local runs they come
 * from flags or the environment, flags first.
 */
public record AgentSettings(
    String teeName,
    Address operator,
    String host,
    int port,
    PromptSettings prompt,
    ListenerSettings listeners) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 7047;
  static final int MAX_TEE_NAME = 64;

  public AgentSettings {
    if (teeName == null || teeName.isBlank()) {
      throw new ConfigException("--tee-name / TEE_NAME: must not be empty");
    }
    if (teeName.length() > MAX_TEE_NAME || !teeName.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      throw new ConfigException(
          "--tee-name / TEE_NAME: must be at most 64 printable ASCII characters");
    }
    if (operator == null) {
      throw new ConfigException("--operator / OPERATOR_ADDRESS: must be set");
    }
    if (host == null || host.isBlank()) {
      throw new ConfigException("--host: must not be empty");
    }
    if (port < 0 || port > 65535) {
      throw new ConfigException("--port: must be between 0 and 65535");
    }
    if (prompt == null) {
      throw new ConfigException("LLM settings must be set");
    }
    if (listeners == null) {
      throw new ConfigException("listener settings must be set");
    }
  }

  /** Settings with the plain HTTP listener only. */
  public AgentSettings(
      String teeName, Address operator, String host, int port, PromptSettings prompt) {
    this(teeName, operator, host, port, prompt, ListenerSettings.plainOnly());
  }

  /** Settings with the default LLM limits. */
  public AgentSettings(String teeName, Address operator, String host, int port) {
    this(teeName, operator, host, port, PromptSettings.defaults());
  }

  public AgentSettings withPrompt(PromptSettings newPrompt) {
    return new AgentSettings(teeName, operator, host, port, newPrompt, listeners);
  }

  public AgentSettings withListeners(ListenerSettings newListeners) {
    return new AgentSettings(teeName, operator, host, port, prompt, newListeners);
  }

  /** The {@code serve} flags as given; null where a flag was not given. */
  public record Flags(String teeName, String operator, String host, Integer port) {}

  public static AgentSettings load(Flags flags, Map<String, String> env) {
    String teeName = firstSet(flags.teeName(), env.get("TEE_NAME"));
    String operatorText = firstSet(flags.operator(), env.get("OPERATOR_ADDRESS"));
    if (operatorText == null) {
      throw new ConfigException("--operator / OPERATOR_ADDRESS: must be set");
    }
    Address operator;
    try {
      operator = Address.parse(operatorText.strip());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--operator / OPERATOR_ADDRESS: " + e.getMessage());
    }
    String host = flags.host() == null ? DEFAULT_HOST : flags.host();
    int port = flags.port() == null ? DEFAULT_PORT : flags.port();
    return new AgentSettings(teeName == null ? "" : teeName.strip(), operator, host, port);
  }

  private static String firstSet(String flag, String env) {
    if (flag != null) {
      return flag;
    }
    return env;
  }
}
