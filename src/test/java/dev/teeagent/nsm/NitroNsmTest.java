package dev.teeagent.nsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FFM path as far as a machine without an NSM allows: open() and ioctl() really run, and their
 * errno values come back as typed exceptions. /dev/null accepts open() but not the NSM ioctl.
 */
class NitroNsmTest {
  @TempDir Path dir;

  @Test
  void aMissingDeviceFailsToOpenWithEnoent() {
    Path missing = dir.resolve("nsm");
    assertThatThrownBy(() -> NitroNsm.open(missing))
        .isInstanceOfSatisfying(
            NsmException.DeviceFailure.class,
            e -> {
              assertThat(e.errno()).isEqualTo(NsmException.Errno.ENOENT);
              assertThat(e.getMessage()).contains(missing.toString()).contains("ENOENT");
            });
  }

  @Test
  void aDeviceThatIsNotAnNsmAnswersTheIoctlWithEnotty() throws Exception {
    try (NitroNsm nsm = NitroNsm.open(Path.of("/dev/null"))) {
      assertThat(nsm.mode()).isEqualTo(AttestationMode.NITRO);
      assertThatThrownBy(nsm::random)
          .isInstanceOfSatisfying(
              NsmException.DeviceFailure.class,
              e -> {
                assertThat(e.errno()).isEqualTo(NsmException.Errno.ENOTTY);
                assertThat(e.getMessage()).contains("ioctl on /dev/null").contains("ENOTTY");
              });
      assertThatThrownBy(() -> nsm.attestation(null, new byte[] {1}, null))
          .isInstanceOf(NsmException.DeviceFailure.class);
    }
  }

  @Test
  void callsAfterCloseFailWithEbadfInsteadOfReachingAReusedDescriptor() throws Exception {
    NitroNsm nsm = NitroNsm.open(Path.of("/dev/null"));
    nsm.close();
    nsm.close();
    assertThatThrownBy(nsm::describe)
        .isInstanceOfSatisfying(
            NsmException.DeviceFailure.class,
            e -> assertThat(e.errno()).isEqualTo(NsmException.Errno.EBADF));
  }

  @Test
  void callsFromManyVirtualThreadsEachGetTheirOwnMemory() throws Exception {
    try (NitroNsm nsm = NitroNsm.open(Path.of("/dev/null"));
        var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      var results = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
      for (int i = 0; i < 50; i++) {
        results.add(
            executor.submit(
                () -> {
                  try {
                    nsm.random();
                    return -1;
                  } catch (NsmException.DeviceFailure e) {
                    return e.errno();
                  }
                }));
      }
      for (var result : results) {
        assertThat(result.get()).isEqualTo(NsmException.Errno.ENOTTY);
      }
    }
  }

  @Test
  void errnoValuesAreNamedInMessages() {
    assertThat(new NsmException.DeviceFailure("ioctl on /dev/nsm", 110).getMessage())
        .isEqualTo(
            "ioctl on /dev/nsm failed: ETIMEDOUT (the NSM driver gave up waiting for the module)");
    assertThat(new NsmException.DeviceFailure("ioctl on /dev/nsm", 4).getMessage())
        .contains("EINTR");
    assertThat(new NsmException.DeviceFailure("ioctl on /dev/nsm", 1234).getMessage())
        .endsWith("errno 1234");
  }

  @Test
  void closeReturnsAtOnceAndLaterCallsFailWithEbadf() throws Exception {
    NitroNsm nsm = NitroNsm.open(Path.of("/dev/null"), java.time.Duration.ofSeconds(1));
    assertThatThrownBy(nsm::random).isInstanceOf(NsmException.DeviceFailure.class);
    nsm.close();
    assertThatThrownBy(() -> nsm.describePcr(0))
        .isInstanceOfSatisfying(
            NsmException.DeviceFailure.class,
            e -> assertThat(e.getMessage()).contains("closed /dev/null").contains("EBADF"));
  }
}
