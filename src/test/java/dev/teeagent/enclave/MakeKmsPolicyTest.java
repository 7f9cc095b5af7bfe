package dev.teeagent.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.testing.ExternalCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code make kms-policy} as an operator types it, without what it needs: it stops with one line
 * saying what to give, before running anything (CustodyVerifyIT runs it with everything given).
 */
class MakeKmsPolicyTest {
  @TempDir Path dir;

  private static ExternalCommand.Result make(String... settings) {
    List<String> command =
        new ArrayList<>(
            List.of("make", "--no-print-directory", "-o", "target/tee-agent.jar", "kms-policy"));
    command.addAll(List.of(settings));
    return ExternalCommand.of(command)
        .withoutEnv("MAKEFLAGS", "MAKELEVEL", "AWS_ACCOUNT", "HOST_ROLE", "PCRS")
        .run();
  }

  @Test
  void withoutAPcrsFileItSaysToRunMakeEifFirst() {
    ExternalCommand.Result result =
        make("PCRS=" + dir.resolve("none.json"), "AWS_ACCOUNT=111122223333", "HOST_ROLE=r");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr())
        .contains(
            "make kms-policy needs "
                + dir.resolve("none.json")
                + ": run make eif first, or give"
                + " PCRS=FILE");
    assertThat(result.stdout()).isEmpty();
  }

  @Test
  void withoutTheAccountOrTheHostRoleItNamesBoth() throws Exception {
    Path pcrs =
        Files.writeString(dir.resolve("pcrs.json"), "{\"PCR0\":\"" + "ab".repeat(48) + "\"}");

    for (String[] settings :
        new String[][] {{"PCRS=" + pcrs}, {"PCRS=" + pcrs, "AWS_ACCOUNT=111122223333"}}) {
      ExternalCommand.Result result = make(settings);
      assertThat(result.exitCode()).isNotZero();
      assertThat(result.stderr())
          .contains(
              "make kms-policy needs AWS_ACCOUNT=<12 digits> HOST_ROLE=<the EC2 host's instance"
                  + " role>");
      assertThat(result.stdout()).isEmpty();
    }
  }
}
