package dev.teeagent.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.testing.ExternalCommand;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every shell script of the project passes shellcheck (installed by .ci/run from Debian). */
class ShellcheckTest {
  @Test
  void findsTheEnclaveAndHostScripts() {
    assertThat(EnclaveFiles.shellScripts())
        .contains(
            "setup.sh",
            "run-enclave.sh",
            "gvproxy.sh",
            "enclave/init",
            "enclave/build-runtime.sh",
            "enclave/check-reproducible.sh",
            "enclave/nitro-cli.sh",
            ".ci/run");
  }

  @Test
  void passesShellcheckOnEveryShellScript() {
    List<String> command = new ArrayList<>(List.of("shellcheck", "--external-sources"));
    command.addAll(EnclaveFiles.shellScripts());
    ExternalCommand.Result result;
    try {
      result = ExternalCommand.of(command).run();
    } catch (AssertionError cannotStart) {
      throw new AssertionError("shellcheck is missing: apt-get install shellcheck", cannotStart);
    }
    assertThat(result.exitCode()).as(result.output()).isZero();
  }
}
