package dev.teeagent.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.testing.ExternalCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gvproxy.sh with a stand-in gvproxy (src/test/js/fake-gvproxy.mjs) that serves the HTTP API on the
 * unix socket and dies after a moment: the script exposes each port to the enclave and, when
 * gvproxy dies, restarts it and exposes them again.
 */
class GvproxyScriptIT {
  private static final ObjectMapper MAPPER = JsonMappers.strict();

  @TempDir Path dir;

  @Test
  void exposesEachPortToTheEnclaveAndDoesSoAgainAfterGvproxyDies() throws Exception {
    Path log = dir.resolve("gvproxy.log");
    Path socket = dir.resolve("network.sock");
    Path gvproxy = dir.resolve("gvproxy");
    Files.writeString(
        gvproxy,
        "#!/bin/sh\nexec node " + EnclaveFiles.path("src/test/js/fake-gvproxy.mjs") + " \"$@\"\n");
    Files.setPosixFilePermissions(gvproxy, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path output = dir.resolve("script.out");
    ProcessBuilder builder =
        new ProcessBuilder("./gvproxy.sh")
            .directory(EnclaveFiles.path(".").toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    builder.environment().put("GVPROXY", gvproxy.toString());
    builder.environment().put("GVPROXY_SOCKET", socket.toString());
    builder.environment().put("EXPOSE_PORTS", "7047 8545");
    builder.environment().put("RESTART_DELAY", "0.2");
    builder.environment().put("FAKE_GVPROXY_LOG", log.toString());
    builder.environment().put("FAKE_GVPROXY_LIFETIME_MS", "3000");
    Process script = builder.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (events(log, "request").size() < 4 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      List<JsonNode> starts = events(log, "start");
      List<JsonNode> requests = events(log, "request");
      assertThat(starts).as(Files.readString(output)).hasSizeGreaterThanOrEqualTo(2);
      assertThat(starts.getFirst().get("args").toString())
          .isEqualTo("[\"-listen\",\"vsock://:1024\",\"-listen\",\"unix://" + socket + "\"]");
      assertThat(requests.subList(0, 4))
          .allSatisfy(
              request -> {
                assertThat(request.get("method").asText()).isEqualTo("POST");
                assertThat(request.get("url").asText()).isEqualTo("/services/forwarder/expose");
              })
          .extracting(request -> request.get("body").asText())
          .containsExactly(
              "{\"local\":\":7047\",\"remote\":\"192.168.127.2:7047\",\"protocol\":\"tcp\"}",
              "{\"local\":\":8545\",\"remote\":\"192.168.127.2:8545\",\"protocol\":\"tcp\"}",
              "{\"local\":\":7047\",\"remote\":\"192.168.127.2:7047\",\"protocol\":\"tcp\"}",
              "{\"local\":\":8545\",\"remote\":\"192.168.127.2:8545\",\"protocol\":\"tcp\"}");
      assertThat(Files.readString(output))
          .contains("exposed :7047 -> 192.168.127.2:7047")
          .contains("gvproxy exited with status 3; restarting");

      script.destroy(); // SIGTERM: the script stops gvproxy and removes the socket
      assertThat(script.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(script.exitValue()).isZero();
      assertThat(socket).doesNotExist();
    } finally {
      script.descendants().forEach(ProcessHandle::destroyForcibly);
      script.destroyForcibly();
    }
  }

  @Test
  void refusesAPortListWithSomethingElseThanPorts() throws Exception {
    Path gvproxy = Files.writeString(dir.resolve("gvproxy"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(gvproxy, PosixFilePermissions.fromString("rwxr-xr-x"));
    ExternalCommand.Result result =
        ExternalCommand.of("./gvproxy.sh")
            .env("GVPROXY", gvproxy.toString())
            .env("EXPOSE_PORTS", "7047 70000")
            .run();
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr()).contains("EXPOSE_PORTS: '70000' is not a TCP port");
  }

  private static List<JsonNode> events(Path log, String kind) {
    if (!Files.exists(log)) {
      return List.of();
    }
    try {
      return Files.readAllLines(log).stream()
          .map(
              line -> {
                try {
                  return MAPPER.readTree(line);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .filter(entry -> entry.get("event").asText().equals(kind))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
