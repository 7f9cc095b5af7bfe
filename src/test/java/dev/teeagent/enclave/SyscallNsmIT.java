package dev.teeagent.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teeagent.nsm.EmulatedNsm;
import dev.teeagent.nsm.EmulatedNsm.Fault;
import dev.teeagent.nsm.NsmProbe;
import dev.teeagent.testing.AgentJar;
import dev.teeagent.testing.ExternalCommand;
import dev.teeagent.verifier.TrustedRoot;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unmodified agent jar with {@code --attestation nitro}, its ioctls on /dev/nsm answered at the
 * syscall boundary by {@link SyscallNsm}: the success path end to end (verify accepts the document
 * the NSM signed), and each bad NSM answer at boot ending the start with a clear message.
 */
class SyscallNsmIT {

  @TempDir Path dir;

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The agent as enclave/init execs it (its JVM flags), with {@code extraFlags} before -jar. */
  private NitroAgent startAgent(SyscallNsm nsm, String log, String... extraFlags)
      throws IOException {
    int port = NitroAgent.freePort();
    return NitroAgent.start(
        nsm.wrap(List.of(), NitroAgent.serveCommand(port, "nitro", extraFlags)),
        port,
        dir.resolve(log));
  }

  @Test
  void everyRequestKindIsAnsweredAsTheDriverDoesThroughTheAgentsOwnClient() throws Exception {
    EmulatedNsm emulated = new EmulatedNsm();
    try (SyscallNsm nsm = SyscallNsm.start(emulated, dir)) {
      ExternalCommand.Result probe =
          ExternalCommand.of(
                  nsm.wrap(
                      List.of(),
                      List.of(
                          javaBin(),
                          "--enable-native-access=ALL-UNNAMED",
                          "-cp",
                          System.getProperty("java.class.path"),
                          NsmProbe.class.getName())))
              .timeout(Duration.ofMinutes(1))
              .run();
      assertThat(probe.exitCode()).as(probe.output()).isZero();
      String pcr0 = HexFormat.of().formatHex(emulated.pcr(0));
      assertThat(probe.stdout())
          .contains("DescribeNSM: i-0123456789abcdef0-enc")
          .contains("max_pcrs=32 digest=SHA384")
          .contains("DescribePCR 0: lock=true data=" + pcr0)
          .contains("DescribePCR 99: DescribePCR refused by the NSM: InvalidIndex")
          .contains("GetRandom: 256 bytes")
          .contains("Attestation: " + HexFormat.of().formatHex(emulated.documents().getFirst()))
          // The driver refuses a request over 4096 bytes with EINVAL, before the module sees it.
          .contains("request of 4097 bytes: ioctl on /dev/nsm failed: EINVAL (invalid argument)");
      assertThat(emulated.calls())
          .isEqualTo(Map.of("Attestation", 1, "DescribeNSM", 1, "DescribePCR", 2, "GetRandom", 1));
    }
  }

  @Test
  void theAgentBootsInNitroModeAndVerifyAcceptsAFreshDocumentOfTheNsm() throws Exception {
    EmulatedNsm emulated = new EmulatedNsm();
    try (SyscallNsm nsm = SyscallNsm.start(emulated, dir);
        NitroAgent agent = startAgent(nsm, "agent.log")) {
      agent.awaitHealthy();
      Map<String, Integer> boot = emulated.calls();
      System.out.println("NSM calls of one nitro boot: " + boot);
      // Entropy first (the SecureRandom is seeded before any key), then the code attestation.
      assertThat(boot).isEqualTo(Map.of("GetRandom", 1, "Attestation", 1));
      JsonNode config = NitroAgent.json(agent.get("/api/v1/config", Duration.ofSeconds(10)));
      assertThat(config.findValue("attestation_mode").asText()).isEqualTo("nitro");

      HttpResponse<String> fresh =
          agent.get("/api/v1/attestation?nonce=0x0102", Duration.ofSeconds(10));
      assertThat(fresh.statusCode()).as(fresh.body()).isEqualTo(200);
      assertThat(Base64.getDecoder().decode(NitroAgent.json(fresh).findValue("document").asText()))
          .isEqualTo(emulated.documents().getLast());

      Path root = Files.writeString(dir.resolve("root.pem"), TrustedRoot.toPem(emulated.root()));
      Path pcrs = Files.writeString(dir.resolve("pcrs.json"), emulated.pcrsJson());
      ExternalCommand.Result verify =
          ExternalCommand.of(
                  javaBin(),
                  "-jar",
                  AgentJar.path().toString(),
                  "verify",
                  "--url",
                  agent.baseUrl(),
                  "--root",
                  root.toString(),
                  "--pcrs",
                  pcrs.toString())
              .timeout(Duration.ofMinutes(1))
              .run();
      assertThat(verify.exitCode()).as(verify.output()).isZero();
      assertThat(verify.output())
          .contains("ok    chain: 5 certificates lead to the root CN=throwaway.aws.nitro-enclaves")
          .contains("ok    pcrs: PCR0, PCR1, PCR2 as expected")
          .contains("ok    agent key:")
          .endsWith("VERIFIED\n");
      assertThat(emulated.calls().get("Attestation")).isGreaterThanOrEqualTo(3);
      assertThat(emulated.calls()).containsEntry("GetRandom", 1);
    }
  }

  @Test
  void aSkewedNsmClockMakesTheAgentAnswer503ClockSkew() throws Exception {
    EmulatedNsm emulated = new EmulatedNsm();
    emulated.skewClock(Duration.ofMinutes(10));
    try (SyscallNsm nsm = SyscallNsm.start(emulated, dir);
        NitroAgent agent = startAgent(nsm, "agent.log")) {
      agent.awaitHealthy();
      HttpResponse<String> config = agent.get("/api/v1/config", Duration.ofSeconds(10));
      assertThat(config.statusCode()).isEqualTo(503);
      assertThat(config.body()).contains("\"clock_skew\"");
      assertThat(agent.log()).containsPattern("clock skew of -(599|600)\\d{3} ms");
    }
  }

  /** One boot per bad answer: the start ends with exit 2 and a line naming what the NSM did. */
  @Test
  void eachBadNsmAnswerAtBootEndsTheStartWithAClearMessage() throws Exception {
    Map<String, String> expected = new java.util.LinkedHashMap<>();
    expected.put(
        "GetRandom ERROR", "the NSM gave no entropy: GetRandom refused by the NSM: InternalError");
    expected.put("GetRandom GARBAGE", "GetRandom: the NSM's answer is not CBOR");
    expected.put("GetRandom TRUNCATED", "GetRandom: the NSM's answer is not CBOR");
    expected.put("GetRandom EMPTY", "the driver reported an answer of 0 bytes");
    expected.put("GetRandom TRAILING", "GetRandom: the NSM's answer has bytes after its CBOR item");
    expected.put("GetRandom OVERSIZED", "GetRandom: the NSM's answer is not CBOR");
    expected.put(
        "GetRandom EMPTY_RANDOM", "GetRandom: the NSM gave 0 bytes of entropy, fewer than the 32");
    expected.put(
        "GetRandom ETIMEDOUT",
        "ioctl on /dev/nsm failed: ETIMEDOUT (the NSM driver gave up waiting for the module)");
    expected.put("Attestation ERROR", "the NSM cannot attest: Attestation refused by the NSM");
    expected.put("Attestation GARBAGE", "the NSM cannot attest: Attestation: the NSM's answer");
    expected.put("Attestation MISSING", "Attestation: no answer from the NSM within 10 s");
    StringBuilder report = new StringBuilder();
    for (Map.Entry<String, String> entry : expected.entrySet()) {
      String[] what = entry.getKey().split(" ");
      EmulatedNsm emulated = new EmulatedNsm();
      emulated.fail(what[0], Fault.valueOf(what[1]));
      Path caseDir = Files.createDirectories(dir.resolve(what[0] + "-" + what[1]));
      try (SyscallNsm nsm = SyscallNsm.start(emulated, caseDir);
          NitroAgent agent = startAgent(nsm, "../" + what[0] + "-" + what[1] + ".log")) {
        long started = System.nanoTime();
        int exit = agent.awaitExit(Duration.ofSeconds(60));
        report.append(
            String.format(
                "%-24s exit %d after %d ms%n",
                entry.getKey(), exit, (System.nanoTime() - started) / 1_000_000));
        assertThat(exit).as(entry.getKey() + ":\n" + agent.log()).isEqualTo(2);
        assertThat(agent.log())
            .as(entry.getKey())
            .contains("tee-agent: cannot start: --attestation nitro: ")
            .contains(entry.getValue())
            .doesNotContain("Exception");
        if (what[1].equals("MISSING")) {
          assertThat(agent.log()).contains("waiting for the NSM's answer to Attestation");
        }
      }
    }
    System.out.print(report);
  }

  @Test
  void aSilentNsmAtRunTimeNeitherStallsHealthOnOneCpuNorHoldsLaterCallsNorTheStop()
      throws Exception {
    EmulatedNsm emulated = new EmulatedNsm();
    try (SyscallNsm nsm = SyscallNsm.start(emulated, dir);
        NitroAgent agent = startAgent(nsm, "agent.log", "-XX:ActiveProcessorCount=1")) {
      agent.awaitHealthy();
      emulated.fail("Attestation", Fault.MISSING);
      CompletableFuture<HttpResponse<String>> stuck =
          agent.getAsync("/api/v1/attestation?nonce=0x01");
      while (emulated.calls().get("Attestation") < 2) {
        assertThat(stuck).isNotDone();
        Thread.sleep(20);
      }
      // The ioctl blocks the NSM's own platform thread, not the only carrier of virtual threads.
      assertThat(agent.get("/api/v1/health", Duration.ofSeconds(3)).statusCode()).isEqualTo(200);
      HttpResponse<String> timedOut = stuck.get();
      assertThat(timedOut.statusCode()).isEqualTo(503);
      assertThat(timedOut.body()).contains("\"attestation_unavailable\"");
      // The ioctl is still blocked: a later call fails at once instead of queueing behind it.
      HttpResponse<String> later =
          agent.get("/api/v1/attestation?nonce=0x02", Duration.ofSeconds(5));
      assertThat(later.statusCode()).isEqualTo(503);
      assertThat(emulated.calls().get("Attestation")).isEqualTo(2);
      // SIGTERM: the stop does not wait for the blocked ioctl.
      agent.terminate();
      assertThat(agent.awaitExit(Duration.ofSeconds(40))).isEqualTo(143);
      assertThat(agent.log())
          .contains("waiting for the NSM's answer to Attestation")
          .contains("Attestation: no answer from the NSM within 10 s")
          .containsPattern("Attestation: the NSM has not answered an earlier call for 1\\d s")
          .doesNotContain("Exception")
          .doesNotContain("\tat ");
    }
  }
}
