package dev.teeagent.identity;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static java.time.temporal.ChronoUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.teeagent.nsm.JarMeasurement;
import dev.teeagent.nsm.SimulatedNsm;
import dev.teeagent.testing.AgentJar;
import dev.teeagent.testing.HttpProbe;
import dev.teeagent.testing.OperatorCommands;
import dev.teeagent.testing.TestAgent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The enclave's way of keeping its identity, on real processes: the agent ({@code serve
 * --state-url}, no state folder of its own) stores its sealed blobs in {@code tee-agent
 * state-store} on "the host" and takes KMS credentials from an instance-metadata stand-in (IMDSv2,
 * as the instance role reaches it through the host link). Killed with SIGKILL, it comes back with
 * its address and state from the store; a change the store cannot acknowledge is not answered 200;
 * a store that cannot be reached at boot stops the start and no new address appears.
 */
class HostStateStoreIT {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern LISTENING =
      Pattern.compile("state-store listening on (http://\\S+)");
  private static final String ROLE = "tee-agent-host";
  private static final String ROLE_KEY = "ASIAHOSTROLEEXAMPLE";

  @TempDir Path storeDir;
  @TempDir Path kmsDir;
  @TempDir Path logs;
  private KmsStandIn kms;
  private WireMockServer imds;
  private Process store;
  private URI storeUrl;
  private final List<Process> agents = new ArrayList<>();

  @BeforeEach
  void startHostSide() throws Exception {
    // The simulated CA in the store, where the agent will read it back through the link.
    try (SimulatedNsm ca =
        SimulatedNsm.keptIn(
            storeDir.resolve("simulated-ca.properties"), Clock.systemUTC(), RANDOM)) {
      kms = new KmsStandIn(kmsDir, ca.rootCertificate());
    }
    imds = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    imds.start();
    imds.stubFor(put(urlEqualTo("/latest/api/token")).willReturn(aResponse().withBody("tok-1")));
    imds.stubFor(
        get(urlPathMatching("/latest/meta-data/iam/security-credentials/?"))
            .willReturn(aResponse().withBody(ROLE)));
    imds.stubFor(
        get(urlEqualTo("/latest/meta-data/iam/security-credentials/" + ROLE))
            .willReturn(
                aResponse()
                    .withBody(
                        """
                        {"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"%s",\
                        "SecretAccessKey":"role-secret","Token":"role-token",\
                        "Expiration":"%s","LastUpdated":"%s"}"""
                            .formatted(
                                ROLE_KEY,
                                Instant.now().plus(Duration.ofHours(6)).truncatedTo(SECONDS),
                                Instant.now().truncatedTo(SECONDS)))));
    // The SDK gives IMDS one second per call; a WireMock's first answer can take longer on a busy
    // machine, so it answers once before the agent asks.
    HttpProbe.awaitOk(
        URI.create(imds.baseUrl() + "/latest/meta-data/iam/security-credentials/"),
        Duration.ofSeconds(30));
    startStore();
  }

  @AfterEach
  void stop() {
    agents.forEach(Process::destroyForcibly);
    if (store != null) {
      store.destroyForcibly();
    }
    imds.stop();
    kms.close();
  }

  @Test
  void aKilledAgentComesBackFromTheHostsStoreWithItsAddressAndState() throws Exception {
    String keyId = kms.createKey(JarMeasurement.pcr0Hex(AgentJar.path()));
    int port = freePort();
    TestAgent first = start(keyId, port);
    JsonNode config = first.get("/api/v1/config").json();
    assertThat(config.at("/identity/persisted").asBoolean()).isTrue();
    assertThat(config.at("/identity/state_dir").asText()).isEqualTo(storeUrl.toString());
    assertThat(config.at("/identity/custody/locked").asBoolean()).as(config.toString()).isTrue();
    OperatorCommands.to(first).set("greeting", "hello").apply();

    agents.getLast().destroyForcibly().waitFor(); // kill -9 right after the 200
    TestAgent second = start(keyId, port);

    JsonNode after = second.get("/api/v1/config").json();
    assertThat(after.get("address")).isEqualTo(config.get("address"));
    assertThat(after.get("operator_nonce").asText()).isEqualTo("1");
    assertThat(second.get("/api/v1/variables/greeting").text()).contains("hello");
    // What the host holds is sealed: the format's magic, never the variable in clear.
    byte[] sealed = Files.readAllBytes(storeDir.resolve(SealedIdentityStore.SNAPSHOT_FILE));
    assertThat(new String(sealed, 0, 8, StandardCharsets.US_ASCII)).isEqualTo("TEEAGSNP");
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("hello");
    assertThat(storeDir.resolve(SealedIdentityStore.DATA_KEY_FILE)).exists();
    // The KMS credentials were the instance role's, asked for with an IMDSv2 token.
    imds.verify(
        putRequestedFor(urlEqualTo("/latest/api/token"))
            .withHeader("X-aws-ec2-metadata-token-ttl-seconds", matching("[0-9]+")));
    imds.verify(
        getRequestedFor(urlEqualTo("/latest/meta-data/iam/security-credentials/" + ROLE))
            .withHeader("X-aws-ec2-metadata-token", equalTo("tok-1")));
  }

  @Test
  void aChangeTheStoreCannotAcknowledgeIsNot200AndAnUnreachableStoreStopsTheStart()
      throws Exception {
    String keyId = kms.createKey(JarMeasurement.pcr0Hex(AgentJar.path()));
    int port = freePort();
    TestAgent agent = start(keyId, port);
    String address = agent.get("/api/v1/config").json().get("address").asText();

    store.destroyForcibly().waitFor();
    TestAgent.Reply refused =
        agent.post("/api/v1/variables", OperatorCommands.to(agent).set("greeting", "hi").body());
    assertThat(refused.status()).as(refused.text()).isEqualTo(503);
    assertThat(refused.errorCode()).isEqualTo("state_not_stored");
    agents.getLast().destroyForcibly().waitFor();

    Process noStore = serve(keyId, port).start();
    agents.add(noStore);
    assertThat(noStore.waitFor(90, TimeUnit.SECONDS)).isTrue();
    String output = new String(noStore.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(noStore.exitValue()).as(output).isEqualTo(2);
    assertThat(output)
        .contains("--state-url " + storeUrl)
        .contains("so the agent does not start")
        .contains("the state store at " + storeUrl + " cannot be reached")
        .doesNotContain("listening on");

    startStore();
    assertThat(start(keyId, port).get("/api/v1/config").json().get("address").asText())
        .isEqualTo(address);
  }

  private void startStore() throws IOException {
    int port = storeUrl == null ? 0 : storeUrl.getPort();
    store =
        AgentJar.command(
                Map.of(),
                "state-store",
                "--port",
                Integer.toString(port),
                "--dir",
                storeDir.toString())
            .redirectErrorStream(true)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(store.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      seen.append(line).append('\n');
      Matcher listening = LISTENING.matcher(line);
      if (listening.find()) {
        storeUrl = URI.create(listening.group(1));
        Thread drain = new Thread(() -> out.lines().forEach(l -> {}));
        drain.setDaemon(true);
        drain.start();
        return;
      }
    }
    throw new AssertionError("state-store did not start:\n" + seen);
  }

  private ProcessBuilder serve(String keyId, int port) {
    return AgentJar.command(
            Map.of(),
            "serve",
            "--port",
            Integer.toString(port),
            "--tee-name",
            "vault",
            "--operator",
            TestAgent.OPERATOR.checksummed(),
            "--state-url",
            storeUrl.toString(),
            "--kms-credentials",
            "instance-role=" + imds.baseUrl(),
            "--kms-endpoint",
            kms.endpoint().toString(),
            "--kms-key-id",
            keyId,
            "--kms-region",
            "us-east-1")
        .redirectErrorStream(true);
  }

  private TestAgent start(String keyId, int port) throws Exception {
    Process agent = serve(keyId, port).redirectOutput(logs.resolve("agent.log").toFile()).start();
    agents.add(agent);
    try {
      HttpProbe.awaitOk(
          URI.create("http://127.0.0.1:" + port + "/api/v1/config"), Duration.ofSeconds(120));
    } catch (AssertionError e) {
      throw new AssertionError(Files.readString(logs.resolve("agent.log")), e);
    }
    return TestAgent.remote(port);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
