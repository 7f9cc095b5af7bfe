package dev.teeagent.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.hoststore.StateStoreServer;
import dev.teeagent.testing.ExternalCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * run-enclave.sh against a stand-in nitro-cli (no Nitro device here) that records its calls and
 * answers describe-enclaves like the real one.
 */
class RunEnclaveScriptTest {
  @TempDir Path dir;
  private Path calls;
  private Path running;
  private Path nitroCli;
  private Path eif;

  @BeforeEach
  void standInNitroCli() throws IOException {
    calls = dir.resolve("calls.log");
    running = Files.writeString(dir.resolve("describe.json"), "[]");
    nitroCli = dir.resolve("nitro-cli");
    Files.writeString(
        nitroCli,
        """
        #!/bin/sh
        echo "$*" >> "%s"
        case "$1" in
          describe-enclaves) cat "%s" ;;
          run-enclave) echo '{"EnclaveName": "tee-agent", "EnclaveID": "i-0abc-enc2", "State": "RUNNING"}' ;;
          terminate-enclave) echo '{"Terminated": true}' ;;
        esac
        """
            .formatted(calls, running));
    Files.setPosixFilePermissions(nitroCli, PosixFilePermissions.fromString("rwxr-xr-x"));
    eif = Files.writeString(dir.resolve("tee-agent.eif"), "not really an EIF");
  }

  private ExternalCommand.Result runEnclave(List<String> env, String... arguments) {
    List<String> command = new ArrayList<>(List.of("./run-enclave.sh"));
    command.addAll(List.of(arguments));
    ExternalCommand run =
        ExternalCommand.of(command)
            .withoutEnv("CPU_COUNT", "MEMORY_MIB", "ENCLAVE_CID", "ENCLAVE_NAME")
            .env("NITRO_CLI", nitroCli.toString())
            // No state store unless a test starts one (a port where nothing listens).
            .env("STATE_STORE_URL", noStore());
    for (String assignment : env) {
      String[] pair = assignment.split("=", 2);
      run.env(pair[0], pair[1]);
    }
    return run.run();
  }

  private static String noStore() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void saysAnImageWithAKmsKeyNeedsTheStateStoreWhenNoneAnswersAndStartsAnyway() {
    ExternalCommand.Result result = runEnclave(List.of(), eif.toString());
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.stderr())
        .contains("no state store answers at http://127.0.0.1:")
        .contains("an image built with KMS_KEY_ID will refuse to start")
        .contains(
            "tmux new-session -d -s state-store './tee-agent state-store --dir"
                + " /var/lib/tee-agent/state'");
  }

  @Test
  void withASealedIdentityInTheStoreARestartKeepsItAndTerminatingSaysSo() throws Exception {
    Path state = Files.createDirectories(dir.resolve("state"));
    try (StateStoreServer store = StateStoreServer.start("127.0.0.1", 0, state)) {
      String url = "STATE_STORE_URL=" + store.endpoint();
      ExternalCommand.Result empty = runEnclave(List.of(url), eif.toString());
      assertThat(empty.exitCode()).as(empty.output()).isZero();
      assertThat(empty.stdout()).contains("is empty: an image built with KMS_KEY_ID creates");

      Files.write(state.resolve("identity.sealed"), new byte[] {1, 2, 3});
      Files.writeString(
          running, "[{\"EnclaveName\": \"tee-agent\", \"EnclaveID\": \"i-0abc-enc1\"}]");
      ExternalCommand.Result refused = runEnclave(List.of(url), eif.toString());
      assertThat(refused.exitCode()).isEqualTo(1);
      assertThat(refused.stderr())
          .contains("Its identity is sealed in the state store at " + store.endpoint())
          .contains("comes back with the same address")
          .contains("Nothing was changed");

      ExternalCommand.Result restarted =
          runEnclave(List.of(url), eif.toString(), "--terminate-running");
      assertThat(restarted.exitCode()).as(restarted.output()).isZero();
      assertThat(restarted.stdout())
          .contains("its sealed identity stays in the state store")
          .contains("holds a sealed identity: an image built with its KMS key restores it");
    }
  }

  private List<String> nitroCalls() throws IOException {
    return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
  }

  @Test
  void runsTheImageWithDefaultResourcesAndPrintsTheEnclaves() throws IOException {
    ExternalCommand.Result result = runEnclave(List.of(), eif.toString());
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(nitroCalls())
        .containsExactly(
            "describe-enclaves",
            "run-enclave --eif-path "
                + eif
                + " --cpu-count 2 --memory 2048 --enclave-cid 16 --enclave-name tee-agent",
            "describe-enclaves");
    assertThat(result.stderr()).doesNotContain("DEBUG MODE");
  }

  @Test
  void terminatesTheRunningEnclaveOfTheSameNameOnlyWhenToldAndTakesResourcesFromTheEnvironment()
      throws IOException {
    Files.writeString(
        running,
        """
        [{"EnclaveName": "other", "EnclaveID": "i-0abc-enc0", "State": "RUNNING"},
         {"EnclaveName": "agent-b", "EnclaveID": "i-0abc-enc1", "State": "RUNNING"}]
        """);
    ExternalCommand.Result result =
        runEnclave(
            List.of("CPU_COUNT=4", "MEMORY_MIB=3072", "ENCLAVE_CID=20", "ENCLAVE_NAME=agent-b"),
            eif.toString(),
            "--terminate-running");
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(nitroCalls())
        .containsExactly(
            "describe-enclaves",
            "terminate-enclave --enclave-id i-0abc-enc1",
            "run-enclave --eif-path "
                + eif
                + " --cpu-count 4 --memory 3072 --enclave-cid 20 --enclave-name agent-b",
            "describe-enclaves");
    assertThat(result.stdout()).contains("terminating running enclave agent-b (i-0abc-enc1)");
  }

  @Test
  void neverTerminatesARunningEnclaveWithoutTheFlagAndSaysWhatWouldBeLost() throws IOException {
    Files.writeString(
        running, "[{\"EnclaveName\": \"tee-agent\", \"EnclaveID\": \"i-0abc-enc1\"}]");
    ExternalCommand.Result result = runEnclave(List.of(), eif.toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr())
        .isEqualTo(
            "run-enclave: enclave tee-agent is running (i-0abc-enc1): terminating it destroys its"
                + " agent key, its variables and the funds at its address for good. Nothing was"
                + " changed. To replace it anyway, move the funds out first, then run again with"
                + " --terminate-running (or choose another ENCLAVE_NAME and ENCLAVE_CID).\n");
    assertThat(nitroCalls()).containsExactly("describe-enclaves");
  }

  @Test
  void helpExitsZeroAndNamesTheLossOfTerminating() {
    ExternalCommand.Result help = runEnclave(List.of(), "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.stderr()).contains("--terminate-running").contains("lost for good");
  }

  @Test
  void startsADebugEnclaveOnlyWithLoudWarningsAboutZeroPcrs() throws IOException {
    ExternalCommand.Result result = runEnclave(List.of(), eif.toString(), "--debug");
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(nitroCalls())
        .anyMatch(call -> call.endsWith("--enclave-name tee-agent --debug-mode"));
    assertThat(result.stderr())
        .contains("DEBUG MODE: this enclave's attestation documents carry ALL-ZERO PCRs")
        .contains("verifiers refuse them")
        .contains("DEBUG MODE, PCRs are zero. Console: " + nitroCli + " console --enclave-name");
  }

  @Test
  void refusesBadArgumentsBeforeCallingNitroCli() throws IOException {
    assertThat(runEnclave(List.of()).exitCode()).isEqualTo(2);
    ExternalCommand.Result missing = runEnclave(List.of(), dir.resolve("nope.eif").toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.stderr()).contains("no such image: ").contains("make eif OPERATOR_ADDRESS=");
    ExternalCommand.Result option = runEnclave(List.of(), eif.toString(), "--debgu");
    assertThat(option.exitCode()).isEqualTo(2);
    assertThat(option.stderr()).contains("unknown option --debgu");
    ExternalCommand.Result two = runEnclave(List.of(), eif.toString(), eif.toString());
    assertThat(two.exitCode()).isEqualTo(2);
    assertThat(runEnclave(List.of("CPU_COUNT=two"), eif.toString()).stderr())
        .contains("CPU_COUNT must be a positive integer, got 'two'");
    assertThat(runEnclave(List.of("MEMORY_MIB=0"), eif.toString()).stderr())
        .contains("MEMORY_MIB must be a positive integer");
    assertThat(runEnclave(List.of("ENCLAVE_CID=3"), eif.toString()).stderr())
        .contains("ENCLAVE_CID must be an integer >= 4, got '3'");
    assertThat(runEnclave(List.of("ENCLAVE_NAME=a b"), eif.toString()).stderr())
        .contains("ENCLAVE_NAME may hold letters");
    assertThat(nitroCalls()).isEmpty();
  }
}
