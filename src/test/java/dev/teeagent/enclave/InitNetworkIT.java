package dev.teeagent.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.testing.ExternalCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * enclave/init for real, in fresh network, mount and PID namespaces (as root, like CI): the image's
 * busybox applets bring up lo and tap0, a stand-in gvforwarder attaches to the tap (no vsock host
 * here), and a stand-in agent reports the network and environment it was started in.
 */
class InitNetworkIT {
  private static final String BUSYBOX = "/usr/bin/busybox";
  private static final String OPERATOR = InitScriptTest.OPERATOR;

  @TempDir Path dir;
  private Path applets;
  private Path home;
  private Path resolvConf;

  @BeforeEach
  void layOutTheImage() throws IOException {
    assertThat(Path.of(BUSYBOX)).as("busybox-static (installed by .ci/run)").isExecutable();
    applets = Files.createDirectories(dir.resolve("bin"));
    for (String applet : imageApplets()) {
      Files.createSymbolicLink(applets.resolve(applet), Path.of(BUSYBOX));
    }
    home = Files.createDirectories(dir.resolve("opt/tee-agent"));
    Files.createDirectories(home.resolve("runtime/bin"));
    Files.createDirectories(home.resolve("bin"));
    Files.writeString(home.resolve("tee-agent.jar"), "");
    executable(
        home.resolve("runtime/bin/java"),
        """
        #!%1$s sh
        for arg in "$@"; do echo "arg: $arg"; done
        echo "addr:"; ip -o addr show
        echo "route:"; ip route show
        echo "link:"; ip -o link show tap0
        echo "resolv: $(%1$s cat /etc/resolv.conf)"
        echo "env:"; %1$s env
        """
            .formatted(BUSYBOX));
    resolvConf = Files.writeString(dir.resolve("resolv.conf"), "nameserver 10.0.0.2\n");
  }

  /** The applets the image links to busybox, read from the Dockerfile's tools stage. */
  static List<String> imageApplets() {
    Matcher loop =
        Pattern.compile("for applet in ([a-z ]+); do")
            .matcher(EnclaveFiles.read("enclave/Dockerfile"));
    assertThat(loop.find()).as("the applet loop in enclave/Dockerfile").isTrue();
    return List.of(loop.group(1).strip().split(" "));
  }

  private void forwarder(String script) throws IOException {
    executable(home.resolve("bin/gvforwarder"), "#!/bin/sh\n" + script + "\n");
  }

  private static void executable(Path file, String content) throws IOException {
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** Runs init as PID 1 of new namespaces, with only the image's environment and applets. */
  private ExternalCommand.Result runInit(int waitSeconds) {
    String inNamespaces =
        "mount --make-rprivate / && mount --bind \"$RESOLV\" /etc/resolv.conf && exec env -i"
            + " PATH=\"$APPLETS\" TEE_AGENT_HOME=\"$HOME_DIR\" FORWARDER_WAIT_SECONDS=\"$WAIT\""
            + " TEE_NAME=enclave-test OPERATOR_ADDRESS="
            + OPERATOR
            + " http_proxy=http://proxy.invalid:3128 HTTPS_PROXY=http://proxy.invalid:3128"
            + " JAVA_TOOL_OPTIONS=-agentlib:jdwp=transport=dt_socket,server=y,address=5005"
            + " JDK_JAVA_OPTIONS=-Dhttps.proxyHost=proxy.invalid"
            + " \"$APPLETS/sh\" \"$INIT\"";
    List<String> command =
        new ArrayList<>(
            List.of(
                "unshare",
                "--net",
                "--mount",
                "--pid",
                "--fork",
                "--kill-child",
                "/bin/sh",
                "-c",
                inNamespaces));
    return ExternalCommand.of(command)
        .env("RESOLV", resolvConf.toString())
        .env("APPLETS", applets.toString())
        .env("HOME_DIR", home.toString())
        .env("WAIT", String.valueOf(waitSeconds))
        .env("INIT", EnclaveFiles.path("enclave/init").toString())
        .timeout(Duration.ofSeconds(60))
        .run();
  }

  private static String javaCommand() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @Test
  void bringsUpTheEnclaveNetworkAndStartsTheAgentOnceTheForwarderHoldsTheTap() throws Exception {
    String classes =
        Path.of(TapHolder.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    forwarder(
        "exec %s --enable-native-access=ALL-UNNAMED -cp %s %s \"$@\""
            .formatted(javaCommand(), classes, TapHolder.class.getName()));

    ExternalCommand.Result result = runInit(30);

    assertThat(result.exitCode()).as(result.output()).isZero();
    String out = result.stdout();
    assertThat(out)
        .contains("gvforwarder stand-in: -url vsock://3:1024/connect -iface tap0 -preexisting")
        .contains("gvforwarder stand-in: attached to tap0")
        .containsPattern("gvforwarder connected after \\d+s");
    assertThat(out)
        .containsPattern("lo\\s+inet 127\\.0\\.0\\.1/8")
        .containsPattern("tap0\\s+inet 192\\.168\\.127\\.2/24")
        .contains("default via 192.168.127.1 dev tap0")
        .contains("link/ether 5a:94:ef:e4:0c:ee")
        .containsPattern("tap0: <[A-Z,]*LOWER_UP[A-Z,]*>")
        .contains("resolv: nameserver 192.168.127.1");
    assertThat(result.stdoutLines())
        .containsSubsequence(
            "arg: serve",
            "arg: --host",
            "arg: 0.0.0.0",
            "arg: --port",
            "arg: 7047",
            "arg: --attestation",
            "arg: nitro",
            "arg: --tee-name",
            "arg: enclave-test",
            "arg: --operator",
            "arg: " + OPERATOR);
    String env = out.substring(out.indexOf("env:"));
    assertThat(env)
        .contains("TEE_NAME=enclave-test")
        .doesNotContain("proxy.invalid")
        .doesNotContain("JAVA_TOOL_OPTIONS")
        .doesNotContain("JDK_JAVA_OPTIONS");
  }

  @Test
  void stopsNamingTheStepWhenTheForwarderNeverReachesTheHost() throws IOException {
    forwarder("exec " + BUSYBOX + " sleep 600");

    ExternalCommand.Result result = runInit(2);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr())
        .contains("FAILED at step 'wait-for-gvforwarder': no connection to the host after 2s")
        .contains("is ./gvproxy.sh running on the parent instance?");
    assertThat(result.stdout()).doesNotContain("arg: serve");
  }

  @Test
  void stopsNamingTheStepWhenTheForwarderExits() throws IOException {
    forwarder("echo 'cannot connect to host' >&2; exit 1");

    ExternalCommand.Result result = runInit(30);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr())
        .contains("FAILED at step 'wait-for-gvforwarder': gvforwarder exited");
    assertThat(result.stdout()).doesNotContain("arg: serve");
  }
}
