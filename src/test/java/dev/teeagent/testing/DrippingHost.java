package dev.teeagent.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A raw-socket host that answers {@code /health} at once and every other request with headers and
 * then one body byte at a time, forever: what a hostile parent instance can do to a client.
 */
public final class DrippingHost implements AutoCloseable {
  private final ServerSocket server;
  private final CountDownLatch closed = new CountDownLatch(1);

  public DrippingHost() throws IOException {
    server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::accept);
  }

  public String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread.ofVirtual().start(() -> answer(socket));
      } catch (IOException closing) {
        return;
      }
    }
  }

  private void answer(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          return;
        }
        head.append((char) b);
      }
      OutputStream out = socket.getOutputStream();
      if (head.toString().startsWith("GET /api/v1/health ")) {
        out.write(
            "HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\n{\"status\":\"ok\"}"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        closed.await();
        return;
      }
      out.write(
          "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // One byte every 100 ms: never silent long enough for a read timeout, never done.
      while (!closed.await(100, TimeUnit.MILLISECONDS)) {
        out.write(' ');
        out.flush();
      }
    } catch (IOException | InterruptedException gone) {
      // The client gave up: what the test wants.
    }
  }

  @Override
  public void close() throws IOException {
    closed.countDown();
    server.close();
  }
}
