package dev.teeagent.config;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * A listener's port is taken by another program: the one start failure a newcomer meets most, told
 * in one sentence that names the flag and the port, never as a stack trace.
 */
public final class PortInUseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PortInUseException(String flag, String host, int port) {
    super(
        "port "
            + port
            + " on "
            + host
            + " is already in use (another agent still running?): stop that program, or choose"
            + " another port with "
            + flag);
  }

  /** Probes {@code port} before anything starts; port 0 (any free port) is never in use. */
  public static void requireFree(String flag, String host, int port) {
    if (port == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(host, port));
    } catch (BindException e) {
      throw new PortInUseException(flag, host, port);
    } catch (IOException e) {
      // Not a taken port (an unknown host…): the start itself reports it.
    }
  }
}
