package dev.teeagent.hoststore;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.teeagent.custody.CustodyException;
import dev.teeagent.identity.AtomicFiles;
import dev.teeagent.identity.HostSnapshotFolder;
import dev.teeagent.identity.SnapshotFolder;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's side of {@code serve --state-url}: keeps the enclave's sealed blobs as files in one
 * folder on the parent instance's disk. {@code GET /v1/blobs/NAME} answers the bytes (404 when
 * absent); {@code PUT /v1/blobs/NAME} replaces them atomically (temporary file, fsync, rename,
 * fsync of the folder) and answers 204 only then: the acknowledgement the agent waits for. It never
 * looks inside a blob (it could not: they are sealed). One request at a time, so a write is never
 * interleaved with another.
 */
public final class StateStoreServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StateStoreServer.class);
  private static final String PREFIX = "/v1/blobs/";

  private final HttpServer server;
  private final ExecutorService executor;
  private final Path dir;

  private StateStoreServer(HttpServer server, ExecutorService executor, Path dir) {
    this.server = server;
    this.executor = executor;
    this.dir = dir;
  }

  /** Serves {@code dir} on {@code bind:port} (0 = any free port). */
  public static StateStoreServer start(String bind, int port, Path dir) throws IOException {
    Files.createDirectories(dir);
    HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 16);
    ExecutorService executor = Executors.newSingleThreadExecutor();
    StateStoreServer store = new StateStoreServer(server, executor, dir);
    server.createContext("/", store::exchange);
    server.setExecutor(executor);
    server.start();
    return store;
  }

  public URI endpoint() {
    InetSocketAddress address = server.getAddress();
    return URI.create("http://" + address.getHostString() + ":" + address.getPort());
  }

  private void exchange(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      String name = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "";
      if (!SnapshotFolder.NAME.matcher(name).matches()) {
        answer(exchange, 404, "no such blob name: GET or PUT /v1/blobs/NAME\n");
        return;
      }
      switch (exchange.getRequestMethod()) {
        case "GET" -> get(exchange, name);
        case "PUT" -> put(exchange, name);
        default -> {
          exchange.getResponseHeaders().set("Allow", "GET, PUT");
          answer(exchange, 405, "GET or PUT only\n");
        }
      }
    }
  }

  private void get(HttpExchange exchange, String name) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(dir.resolve(name));
    } catch (NoSuchFileException e) {
      answer(exchange, 404, "no " + name + " stored\n");
      return;
    }
    ExchangeReply.send(exchange, 200, "application/octet-stream", bytes);
    LOG.info("state-store GET {} ({} bytes)", name, bytes.length);
  }

  private void put(HttpExchange exchange, String name) throws IOException {
    byte[] bytes;
    try (InputStream in = exchange.getRequestBody()) {
      bytes = in.readNBytes((int) HostSnapshotFolder.MAX_BLOB_BYTES + 1);
    }
    if (bytes.length > HostSnapshotFolder.MAX_BLOB_BYTES) {
      answer(exchange, 413, "larger than " + HostSnapshotFolder.MAX_BLOB_BYTES + " bytes\n");
      return;
    }
    try {
      AtomicFiles.write(dir.resolve(name), bytes);
    } catch (CustodyException e) {
      LOG.error("state-store PUT {} not stored: {}", name, e.getMessage());
      answer(exchange, 507, "not stored: the store's folder is not writable\n");
      return;
    }
    exchange.sendResponseHeaders(204, -1);
    LOG.info("state-store PUT {} ({} bytes, stored)", name, bytes.length);
  }

  private static void answer(HttpExchange exchange, int status, String text) throws IOException {
    ExchangeReply.send(
        exchange, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "StateStoreServer[" + dir + "]";
  }
}
