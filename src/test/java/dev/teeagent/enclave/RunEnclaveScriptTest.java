package dev.teeagent.enclave;

import static org.assertj.core.api.Assertions.assertThat;

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
            .env("NITRO_CLI", nitroCli.toString());
    for (String assignment : env) {
      String[] pair = assignment.split("=", 2);
      run.env(pair[0], pair[1]);
    }
    return run.run();
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
