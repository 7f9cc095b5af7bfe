package dev.teeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TeeAgentCliTest {
  @Test
  void buildsOnlyTheSubcommandARunNames() {
    assertThat(TeeAgentCli.commandLine(new String[] {"serve", "--port", "0"}).getSubcommands())
        .containsOnlyKeys("serve");
    assertThat(TeeAgentCli.commandLine(new String[] {"operator", "set"}).getSubcommands())
        .containsOnlyKeys("operator");
  }

  @Test
  void helpListsEverySubcommand() {
    StringWriter out = new StringWriter();
    int exit =
        TeeAgentCli.commandLine(new String[] {"--help"})
            .setOut(new PrintWriter(out))
            .execute("--help");
    assertThat(exit).isZero();
    assertThat(out.toString()).contains("serve").contains("verify").contains("operator");
  }

  @Test
  void anUnknownSubcommandIsAUsageErrorThatListsTheKnownOnes() {
    StringWriter err = new StringWriter();
    int exit =
        TeeAgentCli.commandLine(new String[] {"serv"}).setErr(new PrintWriter(err)).execute("serv");
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("serve");
  }
}
