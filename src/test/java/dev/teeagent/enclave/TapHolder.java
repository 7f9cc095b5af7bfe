package dev.teeagent.enclave;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * Stand-in for gvforwarder in {@link InitNetworkIT} (there is no vsock host here): it attaches to
 * the existing TAP interface exactly as gvforwarder does once it has reached gvproxy (TUNSETIFF on
 * /dev/net/tun), which raises the interface's carrier, and holds it until it is killed.
 */
public final class TapHolder {
  private static final int O_RDWR = 2;
  private static final long TUNSETIFF = 0x400454caL;
  private static final short IFF_TAP = 0x0002;
  private static final short IFF_NO_PI = 0x1000;
  private static final int IFREQ_SIZE = 40;
  private static final int IFR_FLAGS_OFFSET = 16;

  private TapHolder() {}

  @SuppressWarnings("restricted") // native open/ioctl is the point of this stand-in
  public static void main(String[] args) throws Throwable {
    List<String> arguments = List.of(args);
    System.out.println("gvforwarder stand-in: " + String.join(" ", arguments));
    int index = arguments.indexOf("-iface");
    String iface = index >= 0 ? arguments.get(index + 1) : "tap0";
    Linker linker = Linker.nativeLinker();
    MethodHandle open =
        linker.downcallHandle(
            linker.defaultLookup().find("open").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    MethodHandle ioctl =
        linker.downcallHandle(
            linker.defaultLookup().find("ioctl").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
            Linker.Option.firstVariadicArg(2));
    Arena arena = Arena.global();
    int fd = (int) open.invokeExact(arena.allocateFrom("/dev/net/tun"), O_RDWR);
    MemorySegment ifreq = arena.allocate(IFREQ_SIZE);
    ifreq.setString(0, iface);
    ifreq.set(JAVA_SHORT, IFR_FLAGS_OFFSET, (short) (IFF_TAP | IFF_NO_PI));
    int result = (int) ioctl.invokeExact(fd, TUNSETIFF, ifreq);
    if (fd < 0 || result != 0) {
      System.err.println("gvforwarder stand-in: cannot attach to " + iface);
      System.exit(1);
    }
    System.out.println("gvforwarder stand-in: attached to " + iface);
    Thread.sleep(Long.MAX_VALUE);
  }
}
