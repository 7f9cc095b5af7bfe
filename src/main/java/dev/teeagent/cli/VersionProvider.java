package dev.teeagent.cli;

import dev.teeagent.config.BuildInfo;
import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    BuildInfo build = BuildInfo.current();
    return new String[] {"tee-agent " + build.version() + " (Java " + build.javaVersion() + ")"};
  }
}
