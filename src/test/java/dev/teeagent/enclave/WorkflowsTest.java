package dev.teeagent.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The GitHub workflows: one runs the tests, one builds the EIF and publishes its PCRs. */
class WorkflowsTest {
  private static final Pattern USES = Pattern.compile("uses: (\\S+)");

  @ParameterizedTest
  @ValueSource(strings = {".github/workflows/test.yml", ".github/workflows/eif.yml"})
  void pinsEveryActionByCommit(String workflow) {
    Matcher uses = USES.matcher(EnclaveFiles.read(workflow));
    int count = 0;
    while (uses.find()) {
      assertThat(uses.group(1)).matches("[\\w.-]+/[\\w.-]+@[0-9a-f]{40}");
      count++;
    }
    assertThat(count).isPositive();
  }

  @Test
  void testWorkflowRunsWhatCiRuns() {
    assertThat(EnclaveFiles.read(".github/workflows/test.yml")).contains("bash .ci/run");
    assertThat(EnclaveFiles.read(".ci/run")).contains("make test");
  }

  @Test
  void eifWorkflowBuildsWithMakeAndUploadsThePcrs() {
    String eif = EnclaveFiles.read(".github/workflows/eif.yml");
    assertThat(eif)
        .contains("make eif OPERATOR_ADDRESS=\"$OPERATOR_ADDRESS\" TEE_NAME=\"$TEE_NAME\"")
        .contains("actions/upload-artifact@")
        .containsPattern("path: \\|\\n\\s+build/pcrs.json")
        .contains("if-no-files-found: error");
  }
}
