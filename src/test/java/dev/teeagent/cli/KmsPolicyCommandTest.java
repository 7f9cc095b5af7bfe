package dev.teeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.custody.LockedKeyPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KmsPolicyCommandTest {
  private static final String PCR0 = "a1".repeat(48);
  @TempDir Path dir;

  private static CliRun kmsPolicy(String... args) {
    return CliRun.of("kms-policy", args);
  }

  @Test
  void printsThePolicyForThePcr0OfANitroCliPcrsFileOrAGivenOne() throws Exception {
    Path pcrs = dir.resolve("pcrs.json");
    Files.writeString(
        pcrs,
        "{\"HashAlgorithm\":\"Sha384 { ... }\",\"PCR0\":\""
            + PCR0
            + "\",\"PCR1\":\""
            + "b2".repeat(48)
            + "\",\"PCR2\":\""
            + "c3".repeat(48)
            + "\"}");
    String expected =
        LockedKeyPolicy.of(HexFormat.of().parseHex(PCR0), "111122223333", "tee-agent-host");

    CliRun fromFile =
        kmsPolicy(
            "--pcrs",
            pcrs.toString(),
            "--account",
            "111122223333",
            "--host-role",
            "tee-agent-host");
    CliRun given =
        kmsPolicy("--pcr0", PCR0, "--account", "111122223333", "--host-role", "tee-agent-host");

    assertThat(fromFile.exit()).as(fromFile.err()).isZero();
    assertThat(fromFile.out()).isEqualTo(expected);
    assertThat(given.out()).isEqualTo(expected);
    assertThat(fromFile.err()).isEmpty();
  }

  @Test
  void aMissingOrBadInputIsAUsageErrorNamingIt() throws Exception {
    Path noPcr0 = dir.resolve("pcrs.json");
    Files.writeString(noPcr0, "{\"PCR1\":\"" + "b2".repeat(48) + "\"}");
    String[] who = {"--account", "111122223333", "--host-role", "r"};

    CliRun neither = kmsPolicy(who);
    CliRun without = kmsPolicy("--pcrs", noPcr0.toString(), who[0], who[1], who[2], who[3]);
    CliRun missing =
        kmsPolicy("--pcrs", dir.resolve("none.json").toString(), who[0], who[1], who[2], who[3]);
    CliRun shortPcr = kmsPolicy("--pcr0", "abcd", who[0], who[1], who[2], who[3]);
    CliRun badAccount = kmsPolicy("--pcr0", PCR0, "--account", "12", "--host-role", "r");

    assertThat(neither.exit()).isEqualTo(2);
    assertThat(neither.err()).contains("give exactly one of --pcrs and --pcr0");
    assertThat(without.err()).contains("--pcrs " + noPcr0 + " has no PCR0");
    assertThat(missing.err()).contains("there is no such file — check the path");
    assertThat(shortPcr.exit()).isEqualTo(2);
    assertThat(shortPcr.err()).contains("--pcr0: PCR0");
    assertThat(badAccount.err()).contains("the AWS account must be 12 digits");
    for (CliRun run : new CliRun[] {neither, without, missing, shortPcr, badAccount}) {
      assertThat(run.exit()).isEqualTo(2);
      assertThat(run.out()).isEmpty();
    }
  }
}
