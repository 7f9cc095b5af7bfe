package dev.teeagent.nsm;

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
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Nitro Secure Module at /dev/nsm, reached with {@code ioctl(fd, 0xC0200A00, &msg)} through
 * Java's FFM API (no JNI, nothing native to ship). {@code msg} is two iovecs: the CBOR request and
 * a 12 KiB response buffer whose length the driver overwrites with the answer's. Calls run one at a
 * time on a dedicated platform thread, each with a deadline, so a silent NSM neither blocks a
 * caller without limit nor pins the carrier of a virtual thread.
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

  /**
   * How long a caller waits for one answer. The driver itself gives up only after 120 s
   * (ETIMEDOUT); a real NSM answers in milliseconds.
   */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(10);

  /** After this long without an answer, the wait is logged (once per call). */
  private static final Duration LOG_AFTER = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(NitroNsm.class);

  private final Path device;
  private final int fd;
  private final Duration deadline;
  // Every ioctl runs on this one platform thread: a blocked call pins it, not the carrier of a
  // virtual thread (with one CPU, a pinned carrier stalls every request, /health included).
  private final ExecutorService worker;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile boolean closed;
  private volatile Instant busySince;
  private boolean descriptorClosed; // guarded by lock

  private NitroNsm(Path device, int fd, Duration deadline) {
    this.device = device;
    this.fd = fd;
    this.deadline = deadline;
    this.worker =
        Executors.newSingleThreadExecutor(
            task -> Thread.ofPlatform().daemon().name("nsm-ioctl").unstarted(task));
  }

  /** Opens the device read-write; fails with the errno (ENOENT outside an enclave). */
  public static NitroNsm open(Path device) throws NsmException.DeviceFailure {
    return open(device, DEFAULT_DEADLINE);
  }

  /** The same, waiting at most {@code deadline} for each answer. */
  public static NitroNsm open(Path device, Duration deadline) throws NsmException.DeviceFailure {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CALL_STATE);
      int fd =
          (int)
              OPEN.invokeExact(state, arena.allocateFrom(device.toString()), O_RDWR | O_CLOEXEC, 0);
      if (fd < 0) {
        throw new NsmException.DeviceFailure("open " + device, (int) ERRNO.get(state, 0L));
      }
      return new NitroNsm(device, fd, deadline);
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

  /**
   * Runs the ioctl on the worker and waits at most the deadline. A call the NSM never answers keeps
   * the worker; once it is past the deadline, later calls fail at once instead of queueing.
   */
  @Override
  byte[] exchange(String name, byte[] request) throws NsmException {
    if (closed) {
      throw new NsmException.DeviceFailure("ioctl on closed " + device, NsmException.Errno.EBADF);
    }
    Instant stuck = busySince;
    if (stuck != null && Duration.between(stuck, Instant.now()).compareTo(deadline) > 0) {
      throw new NsmException.NoAnswer(
          name
              + ": the NSM has not answered an earlier call for "
              + Duration.between(stuck, Instant.now()).toSeconds()
              + " s");
    }
    Future<byte[]> answer;
    try {
      answer = worker.submit(() -> ioctlOnWorker(request));
    } catch (RejectedExecutionException e) {
      throw new NsmException.DeviceFailure("ioctl on closed " + device, NsmException.Errno.EBADF);
    }
    long started = System.nanoTime();
    try {
      try {
        return answer.get(LOG_AFTER.toNanos(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException first) {
        LOG.warn(
            "waiting for the NSM's answer to {} ({} ms so far; giving up after {} s)",
            name,
            Duration.ofNanos(System.nanoTime() - started).toMillis(),
            deadline.toSeconds());
        long left = deadline.toNanos() - (System.nanoTime() - started);
        return answer.get(Math.max(0, left), TimeUnit.NANOSECONDS);
      }
    } catch (TimeoutException e) {
      answer.cancel(false); // if still queued behind a silent call, it never runs
      throw new NsmException.NoAnswer(
          name + ": no answer from the NSM within " + deadline.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NsmException.NoAnswer(name + ": interrupted while waiting for the NSM");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof NsmException failure) {
        throw failure;
      }
      throw new IllegalStateException("the NSM call failed", e.getCause());
    }
  }

  private byte[] ioctlOnWorker(byte[] request) throws NsmException {
    lock.lock();
    busySince = Instant.now();
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
      busySince = null;
      if (closed) {
        closeDescriptor();
      }
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

  /**
   * Never waits for a call in progress: the descriptor is closed now when the device is idle, else
   * by the worker as soon as the NSM answers (so it is never reused under a running ioctl).
   */
  @Override
  public void close() {
    closed = true;
    worker.shutdown();
    if (lock.tryLock()) {
      try {
        closeDescriptor();
      } finally {
        lock.unlock();
      }
    }
  }

  private void closeDescriptor() {
    if (descriptorClosed) {
      return;
    }
    descriptorClosed = true;
    try {
      int ignored = (int) CLOSE.invokeExact(fd);
    } catch (Throwable e) {
      throw new IllegalStateException("native close() could not be called", e);
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
