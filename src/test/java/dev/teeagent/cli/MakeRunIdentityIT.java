package dev.teeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.testing.TestAgent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code make run} as a developer runs it, twice and then with {@code NEW_IDENTITY=1}: its dev-kms
 * stand-in seals the identity in the scratch folder, so a restart answers with the same address and
 * the snapshot counter goes on, and a new identity is another address with the old files kept
 * beside. Stopping the agent stops its dev-kms too.
 */
class MakeRunIdentityIT {
  @TempDir Path scratch;

  @Test
  void keepsItsAddressAcrossRestartsAndStartsAFreshOneOnlyWithNewIdentity() throws Exception {
    JsonNode first = run();
    JsonNode second = run();
    JsonNode fresh = run("NEW_IDENTITY=1");
    JsonNode afterFresh = run();

    assertThat(first.at("/identity/persisted").asBoolean()).isTrue();
    assertThat(second.get("address").asText()).isEqualTo(first.get("address").asText());
    assertThat(second.at("/identity/snapshot_counter").asLong())
        .isGreaterThan(first.at("/identity/snapshot_counter").asLong());
    assertThat(second.at("/identity/custody/key_id").asText())
        .isEqualTo(first.at("/identity/custody/key_id").asText());
    // The development key is not locked to the code, and /config says so.
    assertThat(first.at("/identity/custody/locked").asBoolean()).isFalse();

    assertThat(fresh.get("address").asText()).isNotEqualTo(first.get("address").asText());
    assertThat(fresh.at("/identity/new_identity_on_purpose").asBoolean()).isTrue();
    assertThat(scratch.resolve("state/identity.sealed.replaced")).exists();
    assertThat(afterFresh.get("address").asText()).isEqualTo(fresh.get("address").asText());
    assertThat(afterFresh.at("/identity/new_identity_on_purpose").asBoolean()).isFalse();
  }

  @Test
  void refusesAnUnknownNewIdentityValueBeforeStartingAnything() throws Exception {
    Process make = make("NEW_IDENTITY=yes").start();
    assertThat(make.waitFor(3, TimeUnit.MINUTES)).isTrue();
    assertThat(make.exitValue()).isNotZero();
    assertThat(log()).contains("NEW_IDENTITY must be 1 (or empty), got 'yes'");
    assertThat(scratch.resolve("state/identity.sealed")).doesNotExist();
  }

  /** One {@code make run}: waits for its signed /config, then stops it (SIGTERM to the agent). */
  private JsonNode run(String... settings) throws Exception {
    int port = CliSentencesTest.closedPort();
    Process make = make(port, settings).start();
    try {
      String body = awaitConfig(make, port);
      TestAgent.Reply reply = new TestAgent.Reply(200, body.getBytes());
      JsonNode config = JsonMappers.strict().readTree(body);
      assertThat(reply.verifiedSigner().checksummed()).isEqualTo(config.get("address").asText());
      return config;
    } finally {
      List<ProcessHandle> started = make.descendants().toList();
      started.stream()
          .filter(p -> p.info().arguments().map(a -> List.of(a).contains("serve")).orElse(false))
          .forEach(ProcessHandle::destroy);
      assertThat(make.waitFor(1, TimeUnit.MINUTES)).as(log()).isTrue();
      for (ProcessHandle process : started) {
        process.onExit().get(30, TimeUnit.SECONDS);
      }
    }
  }

  private ProcessBuilder make(String... settings) throws IOException {
    return make(CliSentencesTest.closedPort(), settings);
  }

  private ProcessBuilder make(int port, String... settings) {
    List<String> command =
        new ArrayList<>(List.of("make", "run", "PORT=" + port, "SCRATCH=" + scratch));
    command.addAll(List.of(settings));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(scratch.resolve("make-run.log").toFile()));
    builder.environment().keySet().removeAll(List.of("MAKEFLAGS", "MAKELEVEL"));
    return builder;
  }

  private String awaitConfig(Process make, int port) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/config"))
            .timeout(Duration.ofSeconds(10))
            .build();
    Instant giveUp = Instant.now().plus(Duration.ofMinutes(3));
    while (true) {
      assertThat(make.isAlive()).as(log()).isTrue();
      assertThat(Instant.now()).as("make run did not answer: " + log()).isBefore(giveUp);
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return response.body();
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      make.waitFor(300, TimeUnit.MILLISECONDS);
    }
  }

  private String log() {
    try {
      return Files.readString(scratch.resolve("make-run.log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
