package dev.teeagent.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.nsm.EmulatedNsm;
import dev.teeagent.nsm.EmulatedNsm.Fault;
import dev.teeagent.testing.AgentJar;
import dev.teeagent.testing.ExternalCommand;
import dev.teeagent.verifier.TrustedRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real boot of the image, as far as this machine allows: enclave/init in fresh network, mount
 * and PID namespaces with the image's busybox applets and a stand-in gvforwarder (as {@link
 * InitNetworkIT}), exec'ing the jlink runtime of {@code make runtime} with the image's JVM flags
 * and {@code --attestation nitro}, every /dev/nsm ioctl answered by {@link SyscallNsm}. The agent's
 * port lives in the boot's network namespace, so the checks run there (nsenter).
 */
class NitroBootIT {
  private static final String BUSYBOX = "/usr/bin/busybox";
  private static final String OPERATOR = InitScriptTest.OPERATOR;

  @TempDir Path dir;
  private Path applets;
  private Path home;

  @BeforeAll
  static void buildTheRuntime() {
    RuntimeAgent.buildRuntime();
  }

  @BeforeEach
  void layOutTheImage() throws IOException, java.net.URISyntaxException {
    applets = Files.createDirectories(dir.resolve("bin"));
    for (String applet : InitNetworkIT.imageApplets()) {
      Files.createSymbolicLink(applets.resolve(applet), Path.of(BUSYBOX));
    }
    home = Files.createDirectories(dir.resolve("opt/tee-agent"));
    Files.createSymbolicLink(home.resolve("runtime"), RuntimeAgent.RUNTIME.toAbsolutePath());
    Files.createSymbolicLink(home.resolve("tee-agent.jar"), AgentJar.path().toAbsolutePath());
    Path forwarder = Files.createDirectories(home.resolve("bin")).resolve("gvforwarder");
    String classes =
        Path.of(TapHolder.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    Files.writeString(
        forwarder,
        "#!/bin/sh\nexec %s --enable-native-access=ALL-UNNAMED -cp %s %s \"$@\"\n"
            .formatted(javaBin(), classes, TapHolder.class.getName()));
    Files.setPosixFilePermissions(forwarder, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** enclave/init as PID 1 of new namespaces, with only the image's environment, under the NSM. */
  private NitroAgent boot(SyscallNsm nsm, String log) throws IOException {
    Path resolvConf = Files.writeString(dir.resolve("resolv.conf"), "nameserver 10.0.0.2\n");
    List<String> init =
        List.of(
            "/usr/bin/env",
            "-i",
            "PATH=" + applets,
            "TEE_AGENT_HOME=" + home,
            "FORWARDER_WAIT_SECONDS=30",
            "TEE_NAME=nitro-boot",
            "OPERATOR_ADDRESS=" + OPERATOR,
            applets.resolve("sh").toString(),
            EnclaveFiles.path("enclave/init").toString());
    return NitroAgent.start(
        nsm.wrap(
            List.of("--net", "--pid", "--fork", "--kill-child"),
            Map.of(resolvConf, "/etc/resolv.conf"),
            init),
        7047,
        dir.resolve(log));
  }

  /** A command in the booted agent's network namespace. */
  private static ExternalCommand.Result inBoot(String... command) {
    List<String> full =
        new ArrayList<>(
            List.of("nsenter", "--net=/proc/" + SyscallNsm.lastCallerPid() + "/ns/net", "--"));
    full.addAll(List.of(command));
    return ExternalCommand.of(full).timeout(Duration.ofMinutes(1)).run();
  }

  private static ExternalCommand.Result curl(String path) {
    return inBoot(
        "curl", "-sS", "--max-time", "20", "-w", "\n%{http_code}", "http://127.0.0.1:7047" + path);
  }

  @Test
  void initStartsTheRuntimeInNitroModeAndVerifyAcceptsItsFreshDocument() throws Exception {
    EmulatedNsm emulated = new EmulatedNsm();
    try (SyscallNsm nsm = SyscallNsm.start(emulated, dir);
        NitroAgent agent = boot(nsm, "boot.log")) {
      agent.awaitLog("listening on 0.0.0.0:7047", Duration.ofSeconds(90));
      List<String> boot = emulated.sequence();
      System.out.println("NSM calls of one boot through enclave/init: " + emulated.calls());
      // The SecureRandom is seeded from GetRandom before anything else touches the NSM.
      assertThat(boot).containsExactly("GetRandom", "Attestation");
      assertThat(agent.log())
          .contains("tee-agent-init: step: agent")
          .contains("attestation nitro)")
          .doesNotContain("Exception");

      ExternalCommand.Result config = curl("/api/v1/config");
      assertThat(config.stdout()).endsWith("\n200").contains("\"attestation_mode\":\"nitro\"");

      Path root = Files.writeString(dir.resolve("root.pem"), TrustedRoot.toPem(emulated.root()));
      Path pcrs = Files.writeString(dir.resolve("pcrs.json"), emulated.pcrsJson());
      ExternalCommand.Result verify =
          inBoot(
              javaBin(),
              "-jar",
              AgentJar.path().toString(),
              "verify",
              "--url",
              "http://127.0.0.1:7047",
              "--root",
              root.toString(),
              "--pcrs",
              pcrs.toString());
      assertThat(verify.exitCode()).as(verify.output()).isZero();
      assertThat(verify.output())
          .contains("ok    pcrs: PCR0, PCR1, PCR2 as expected")
          .contains("ok    freshness:")
          .endsWith("VERIFIED\n");
      // verify's fresh document came from the NSM (an HTTP client may retry a GET, so at least);
      // nothing seeds the SecureRandom again.
      assertThat(emulated.calls().get("Attestation")).isGreaterThanOrEqualTo(2);
      assertThat(emulated.calls()).containsEntry("GetRandom", 1);
    }
  }

  @Test
  void aSkewedNsmTimestampMakesTheBootedAgentAnswer503ClockSkew() throws Exception {
    EmulatedNsm emulated = new EmulatedNsm();
    emulated.skewClock(Duration.ofMinutes(-5));
    try (SyscallNsm nsm = SyscallNsm.start(emulated, dir);
        NitroAgent agent = boot(nsm, "boot.log")) {
      agent.awaitLog("listening on 0.0.0.0:7047", Duration.ofSeconds(90));
      ExternalCommand.Result config = curl("/api/v1/config");
      assertThat(config.stdout()).endsWith("\n503").contains("\"clock_skew\"");
    }
  }

  @Test
  void errorGarbageTruncatedEmptyAndMissingAnswersEachEndTheBootClearlyAndInBoundedTime()
      throws Exception {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("GetRandom ERROR", "GetRandom refused by the NSM: InternalError");
    cases.put("Attestation GARBAGE", "Attestation: the NSM's answer is not CBOR");
    cases.put("Attestation TRUNCATED", "Attestation: the NSM's answer is not CBOR");
    cases.put("GetRandom EMPTY", "the driver reported an answer of 0 bytes");
    cases.put("GetRandom MISSING", "GetRandom: no answer from the NSM within 10 s");
    StringBuilder report = new StringBuilder();
    for (Map.Entry<String, String> entry : cases.entrySet()) {
      String[] what = entry.getKey().split(" ");
      EmulatedNsm emulated = new EmulatedNsm();
      emulated.fail(what[0], Fault.valueOf(what[1]));
      Path caseDir = Files.createDirectories(dir.resolve(what[0] + "-" + what[1]));
      try (SyscallNsm nsm = SyscallNsm.start(emulated, caseDir);
          NitroAgent agent = boot(nsm, what[0] + "-" + what[1] + ".log")) {
        long started = System.nanoTime();
        int exit = agent.awaitExit(Duration.ofSeconds(90));
        report.append(
            String.format(
                "boot with %-22s exit %d after %d ms%n",
                entry.getKey(), exit, (System.nanoTime() - started) / 1_000_000));
        assertThat(exit).as(agent.log()).isEqualTo(2);
        assertThat(agent.log())
            .contains("tee-agent: cannot start: --attestation nitro: ")
            .contains(entry.getValue())
            .doesNotContain("Exception");
      }
    }
    System.out.print(report);
  }
}
