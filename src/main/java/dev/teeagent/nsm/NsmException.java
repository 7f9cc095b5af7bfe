package dev.teeagent.nsm;

import java.util.Arrays;

/**
 * An NSM call failed. The subclasses say where: the device (open/ioctl and errno), no answer in
 * time, an {@code {"Error": …}} answer of the module, or a malformed exchange. Messages carry no
 * request or response bytes, so they are safe to log; the agent still never shows them to clients.
 */
public abstract sealed class NsmException extends Exception {
  private static final long serialVersionUID = 1L;

  private NsmException(String message) {
    super(message);
  }

  /** open() or ioctl() on the device failed with {@code errno}. */
  public static final class DeviceFailure extends NsmException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    public DeviceFailure(String operation, int errno) {
      super(operation + " failed: " + Errno.describe(errno));
      this.errno = errno;
    }

    public int errno() {
      return errno;
    }
  }

  /** The NSM gave no answer within the caller's deadline (or is still busy with one it did not). */
  public static final class NoAnswer extends NsmException {
    private static final long serialVersionUID = 1L;

    public NoAnswer(String message) {
      super(message);
    }
  }

  /** The module answered {@code {"Error": code}}. */
  public static final class ErrorAnswer extends NsmException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public ErrorAnswer(String request, ErrorCode code) {
      super(request + " refused by the NSM: " + code);
      this.code = code;
    }

    public ErrorCode code() {
      return code;
    }
  }

  /** The request could not be encoded within limits, or the answer is not what was asked for. */
  public static final class ProtocolFailure extends NsmException {
    private static final long serialVersionUID = 1L;

    public ProtocolFailure(String message) {
      super(message);
    }
  }

  /** The NSM's error codes (nsm-api ErrorCode); UNKNOWN for any other text. */
  public enum ErrorCode {
    InvalidArgument,
    InvalidIndex,
    InvalidResponse,
    ReadOnlyIndex,
    InvalidOperation,
    BufferTooSmall,
    InputTooLarge,
    InternalError,
    UNKNOWN;

    static ErrorCode parse(String text) {
      return Arrays.stream(values())
          .filter(code -> code != UNKNOWN && code.name().equals(text))
          .findFirst()
          .orElse(UNKNOWN);
    }
  }

  /** Names for the errno values the device can produce (Linux x86-64/aarch64). */
  static final class Errno {
    static final int ENOENT = 2;
    static final int EBADF = 9;
    static final int ENOTTY = 25;

    private Errno() {}

    static String describe(int errno) {
      String name =
          switch (errno) {
            case 1 -> "EPERM (operation not permitted)";
            case ENOENT -> "ENOENT (no such file or device)";
            case 4 -> "EINTR (interrupted)";
            case 5 -> "EIO (input/output error)";
            case EBADF -> "EBADF (bad file descriptor)";
            case 12 -> "ENOMEM (out of memory)";
            case 13 -> "EACCES (permission denied)";
            case 14 -> "EFAULT (bad address)";
            case 16 -> "EBUSY (device busy)";
            case 19 -> "ENODEV (no such device)";
            case 22 -> "EINVAL (invalid argument)";
            case ENOTTY -> "ENOTTY (not an NSM device: inappropriate ioctl)";
            case 11 -> "EAGAIN (try again)";
            case 90 -> "EMSGSIZE (message too long)";
            case 110 -> "ETIMEDOUT (the NSM driver gave up waiting for the module)";
            default -> "errno " + errno;
          };
      return name;
    }
  }
}
