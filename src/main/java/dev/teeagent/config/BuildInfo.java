package dev.teeagent.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What was built and what it runs on: the project version (from the build), the Java runtime, and
 * the signing backend of the agent key ({@code libsecp256k1}, constant-time, or {@code java}, the
 * pure-Java fallback), which a running agent knows and {@code /config} states: in a production
 * enclave nobody can read the console where the agent also logs it.
 */
public record BuildInfo(
    String version,
    String javaVersion,
    @JsonInclude(JsonInclude.Include.NON_NULL) String signingBackend) {
  private static final String RESOURCE = "/teeagent-build.properties";

  public static BuildInfo current() {
    Properties properties = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new BuildInfo(
        properties.getProperty("version", "unknown"), Runtime.version().toString(), null);
  }

  /** This build info with the running agent's signing backend. */
  public BuildInfo withSigningBackend(String backend) {
    return new BuildInfo(version, javaVersion, backend);
  }
}
