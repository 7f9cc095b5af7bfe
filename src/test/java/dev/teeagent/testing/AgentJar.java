package dev.teeagent.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The packaged jar, run as a user runs it ({@code java -jar target/tee-agent.jar …}). */
public final class AgentJar {
  private AgentJar() {}

  public static Path path() {
    return Path.of(System.getProperty("teeagent.jar", "target/tee-agent.jar"));
  }

  /**
   * {@code java -jar tee-agent.jar args} with stderr merged into stdout, this JVM's java, and
   * {@code env} as the only agent settings from the environment (TEE_NAME, OPERATOR_ADDRESS and
   * TEE_OPERATOR_KEY of the test's own environment are removed).
   */
  public static ProcessBuilder command(Map<String, String> env, String... args) {
    return command(List.of(), env, args);
  }

  /** As {@link #command(Map, String...)}, with JVM flags such as the enclave's heap bound. */
  public static ProcessBuilder command(
      List<String> jvmFlags, Map<String, String> env, String... args) {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(javaBin));
    command.addAll(jvmFlags);
    command.addAll(List.of("-jar", path().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("TEE_NAME");
    builder.environment().remove("OPERATOR_ADDRESS");
    builder.environment().remove("TEE_OPERATOR_KEY");
    builder.environment().putAll(env);
    return builder;
  }
}
