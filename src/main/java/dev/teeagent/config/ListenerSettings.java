package dev.teeagent.config;

import java.util.OptionalInt;

/**
 * Which listeners the agent opens: the plain HTTP port of the original API (on unless switched off)
 * and the HTTPS port terminated inside the agent (off unless given; the enclave image gives 7443).
 */
public record ListenerSettings(boolean plainHttp, OptionalInt httpsPort) {
  public ListenerSettings {
    if (httpsPort.isPresent() && (httpsPort.getAsInt() < 0 || httpsPort.getAsInt() > 65535)) {
      throw new ConfigException("--https-port: must be between 0 and 65535");
    }
    if (!plainHttp && httpsPort.isEmpty()) {
      throw new ConfigException(
          "--no-plain-http: give --https-port N too, or the agent would listen nowhere");
    }
  }

  /** The plain port only, as before HTTPS existed. */
  public static ListenerSettings plainOnly() {
    return new ListenerSettings(true, OptionalInt.empty());
  }

  /** The {@code serve} flags: {@code httpsPort} null when not given. */
  public static ListenerSettings load(Integer httpsPort, boolean noPlainHttp) {
    return new ListenerSettings(
        !noPlainHttp, httpsPort == null ? OptionalInt.empty() : OptionalInt.of(httpsPort));
  }
}
