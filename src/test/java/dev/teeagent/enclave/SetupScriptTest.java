package dev.teeagent.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.testing.ExternalCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * setup.sh refuses, before changing anything, to run where it cannot work: on another system than
 * Amazon Linux 2023, or on an instance launched without Nitro Enclaves. A stand-in dnf on the PATH
 * records whether anything would have been installed.
 */
class SetupScriptTest {
  @TempDir Path dir;
  private Path installs;

  @BeforeEach
  void standInPackageManager() throws IOException {
    installs = dir.resolve("dnf.log");
    Path bin = Files.createDirectories(dir.resolve("bin"));
    for (String tool : new String[] {"dnf", "systemctl", "usermod"}) {
      Path stand = bin.resolve(tool);
      Files.writeString(stand, "#!/bin/sh\necho \"" + tool + " $*\" >> \"" + installs + "\"\n");
      Files.setPosixFilePermissions(stand, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  private ExternalCommand.Result setup(String osRelease, Path pciDevices) throws IOException {
    Path release = Files.writeString(dir.resolve("os-release"), osRelease);
    return ExternalCommand.of("./setup.sh")
        .env("OS_RELEASE", release.toString())
        .env("PCI_DEVICES", pciDevices.toString())
        .env("PATH", dir.resolve("bin") + ":/usr/bin:/bin")
        .run();
  }

  @Test
  void refusesAnythingButAmazonLinux2023() throws IOException {
    ExternalCommand.Result result =
        setup(
            "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n", dir);
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr())
        .contains("sets up Amazon Linux 2023 hosts; this is Debian GNU/Linux 12 (bookworm)");
    assertThat(installs).doesNotExist();
  }

  @Test
  void refusesAnInstanceWithoutTheNitroEnclavesDevice() throws IOException {
    Path pci = Files.createDirectories(dir.resolve("pci/0000:00:05.0"));
    Files.writeString(pci.resolve("vendor"), "0x1d0f\n");
    Files.writeString(pci.resolve("device"), "0x8061\n"); // an ENA network card, not enclaves
    ExternalCommand.Result result =
        setup(
            "PRETTY_NAME=\"Amazon Linux 2023.6.20250115\"\nID=\"amzn\"\nVERSION_ID=\"2023\"\n",
            dir.resolve("pci"));
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr())
        .contains("this instance has no Nitro Enclaves support")
        .contains("--enclave-options Enabled=true");
    assertThat(installs).doesNotExist();
  }
}
