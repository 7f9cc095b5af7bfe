package dev.teeagent.attestation;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The Nitro Secure Module at /dev/nsm, reached with {@code ioctl(fd, 0xC0200A00, &msg)} through
 * Java's FFM API (no JNI, nothing native to ship). {@code msg} is two iovecs: the CBOR request and
 * a 12 KiB response buffer whose length the driver overwrites with the answer's. Memory is
 * allocated per call from a confined arena (calls come from virtual threads), and calls are
 * serialized on one lock.
 */
public final class NitroNsm extends CborNsm {

  /** _IOWR(0x0A, 0, struct nsm_message) with sizeof(struct nsm_message) = 32. */
  static final long NSM_IOCTL_REQUEST = 0xC0200A00L;

  private static final int O_RDWR = 0x2;
  private static final int O_CLOEXEC = 0x80000;

  private static final StructLayout MESSAGE =
      MemoryLayout.structLayout(
          ADDRESS.withName("request_base"),
          JAVA_LONG.withName("request_len"),
          ADDRESS.withName("response_base"),
          JAVA_LONG.withName("response_len"));
  private static final long RESPONSE_LEN_OFFSET =
      MESSAGE.byteOffset(MemoryLayout.PathElement.groupElement("response_len"));

  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

  // open(const char *path, int flags, ...) and ioctl(int fd, unsigned long request, ...) are
  // variadic: the linker must be told where the variadic part starts.
  private static final MethodHandle OPEN =
      downcall(
          "open",
          FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
          Linker.Option.firstVariadicArg(2),
          Linker.Option.captureCallState("errno"));
  private static final MethodHandle IOCTL =
      downcall(
          "ioctl",
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
          Linker.Option.firstVariadicArg(2),
          Linker.Option.captureCallState("errno"));
  private static final MethodHandle CLOSE =
      downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

  private final Path device;
  private final int fd;
  private final ReentrantLock lock = new ReentrantLock();
  private boolean closed;

  private NitroNsm(Path device, int fd) {
    this.device = device;
    this.fd = fd;
  }

  /** Opens the device read-write; fails with the errno (ENOENT outside an enclave). */
  public static NitroNsm open(Path device) throws NsmException.DeviceFailure {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CALL_STATE);
      int fd =
          (int)
              OPEN.invokeExact(state, arena.allocateFrom(device.toString()), O_RDWR | O_CLOEXEC, 0);
      if (fd < 0) {
        throw new NsmException.DeviceFailure("open " + device, (int) ERRNO.get(state, 0L));
      }
      return new NitroNsm(device, fd);
    } catch (NsmException.DeviceFailure e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("native open() could not be called", e);
    }
  }

  @Override
  public AttestationMode mode() {
    return AttestationMode.NITRO;
  }

  @Override
  byte[] exchange(byte[] request) throws NsmException {
    lock.lock();
    try (Arena arena = Arena.ofConfined()) {
      if (closed) {
        throw new NsmException.DeviceFailure("ioctl on closed " + device, NsmException.Errno.EBADF);
      }
      MemorySegment requestBuffer = arena.allocate(Math.max(1, request.length));
      MemorySegment.copy(request, 0, requestBuffer, JAVA_BYTE, 0, request.length);
      MemorySegment responseBuffer = arena.allocate(NsmMessages.RESPONSE_BUFFER_BYTES);
      MemorySegment message = arena.allocate(MESSAGE);
      message.set(ADDRESS, 0, requestBuffer);
      message.set(JAVA_LONG, 8, request.length);
      message.set(ADDRESS, 16, responseBuffer);
      message.set(JAVA_LONG, RESPONSE_LEN_OFFSET, responseBuffer.byteSize());
      MemorySegment state = arena.allocate(CALL_STATE);
      int status = ioctl(state, message);
      if (status != 0) {
        throw new NsmException.DeviceFailure("ioctl on " + device, (int) ERRNO.get(state, 0L));
      }
      long length = message.get(JAVA_LONG, RESPONSE_LEN_OFFSET);
      if (length <= 0 || length > responseBuffer.byteSize()) {
        throw new NsmException.ProtocolFailure(
            "the driver reported an answer of " + length + " bytes");
      }
      return responseBuffer.asSlice(0, length).toArray(JAVA_BYTE);
    } finally {
      lock.unlock();
    }
  }

  private int ioctl(MemorySegment state, MemorySegment message) {
    try {
      return (int) IOCTL.invokeExact(state, fd, NSM_IOCTL_REQUEST, message);
    } catch (Throwable e) {
      throw new IllegalStateException("native ioctl() could not be called", e);
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (!closed) {
        closed = true;
        int ignored = (int) CLOSE.invokeExact(fd);
      }
    } catch (Throwable e) {
      throw new IllegalStateException("native close() could not be called", e);
    } finally {
      lock.unlock();
    }
  }

  // Native access is the point of this class; the jar's manifest grants it (Enable-Native-Access).
  @SuppressWarnings("restricted")
  private static MethodHandle downcall(
      String name, FunctionDescriptor descriptor, Linker.Option... options) {
    MemorySegment symbol =
        LINKER
            .defaultLookup()
            .find(name)
            .orElseThrow(() -> new IllegalStateException("libc has no " + name));
    return LINKER.downcallHandle(symbol, descriptor, options);
  }
}
