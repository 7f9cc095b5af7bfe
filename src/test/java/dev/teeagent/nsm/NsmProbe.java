package dev.teeagent.nsm;

import java.util.HexFormat;

/**
 * A child process for the syscall harness's tests: makes every kind of NSM request through the
 * agent's own {@link NitroNsm} client on /dev/nsm and prints one line per outcome.
 */
public final class NsmProbe {
  private NsmProbe() {}

  public static void main(String[] args) throws Exception {
    try (NitroNsm nsm = NitroNsm.open(Nsm.DEVICE)) {
      Nsm.Description description = nsm.describe();
      System.out.println(
          "DescribeNSM: "
              + description.moduleId()
              + " max_pcrs="
              + description.maxPcrs()
              + " digest="
              + description.digest());
      Nsm.PcrValue pcr0 = nsm.describePcr(0);
      System.out.println(
          "DescribePCR 0: lock="
              + pcr0.locked()
              + " data="
              + HexFormat.of().formatHex(pcr0.data()));
      print("DescribePCR 99", () -> nsm.describePcr(99).locked());
      System.out.println("GetRandom: " + nsm.random().length + " bytes");
      byte[] document = nsm.attestation(new byte[] {1, 2, 3}, new byte[] {9}, null);
      System.out.println("Attestation: " + HexFormat.of().formatHex(document));
      print("request of 4097 bytes", () -> nsm.exchange("Attestation", new byte[4097]).length);
    }
  }

  private interface Call {
    Object run() throws NsmException;
  }

  private static void print(String what, Call call) {
    try {
      System.out.println(what + ": " + call.run());
    } catch (NsmException e) {
      System.out.println(what + ": " + e.getMessage());
    }
  }
}
