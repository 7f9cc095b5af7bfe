package dev.teeagent.devkms;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.teeagent.hoststore.ExchangeReply;
import dev.teeagent.verifier.AttestationVerifier;
import dev.teeagent.verifier.TrustedRoot;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A development stand-in for AWS KMS, never for production (its keys are plain files): the KMS JSON
 * 1.1 protocol (POST /, {@code X-Amz-Target: TrentService.<Operation>}, {@code Content-Type:
 * application/x-amz-json-1.1}, errors as HTTP 400 with {@code __type}). The SigV4 {@code
 * Authorization} header is accepted and not verified: anyone who can reach the port is "the
 * account". What it does enforce is the part that matters for an enclave: Recipient attestation
 * documents must verify against the trusted root, and the key policy's measurement conditions.
 */
public final class DevKmsServer implements AutoCloseable {
  static final String CONTENT_TYPE = "application/x-amz-json-1.1";
  private static final String TARGET_PREFIX = "TrentService.";
  private static final int MAX_BODY_BYTES = 256 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(DevKmsServer.class);
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .build();

  private final HttpServer server;
  private final ExecutorService executor;
  private final DevKmsService service;

  private DevKmsServer(HttpServer server, ExecutorService executor, DevKmsService service) {
    this.server = server;
    this.executor = executor;
    this.service = service;
  }

  /**
   * Starts serving on {@code bind:port} (0 = any free port) with keys kept in {@code dataDir}, over
   * HTTPS with {@code tls} when given (as AWS KMS is reached: the enclave's TLS client checks the
   * certificate against its CA bundle), else plain HTTP.
   */
  public static DevKmsServer start(
      String bind,
      int port,
      Path dataDir,
      TrustedRoot root,
      Clock clock,
      SecureRandom random,
      String region,
      String account,
      Optional<SSLContext> tls)
      throws IOException {
    DevKmsService service =
        new DevKmsService(
            new DevKeyStore(dataDir),
            new AttestationVerifier(root, clock),
            clock,
            random,
            region,
            account);
    InetSocketAddress address = new InetSocketAddress(bind, port);
    HttpServer server;
    if (tls.isPresent()) {
      HttpsServer https = HttpsServer.create(address, 64);
      https.setHttpsConfigurator(new HttpsConfigurator(tls.get()));
      server = https;
    } else {
      server = HttpServer.create(address, 64);
    }
    ExecutorService executor = Executors.newFixedThreadPool(4);
    DevKmsServer devKms = new DevKmsServer(server, executor, service);
    server.createContext("/", devKms::exchange);
    server.setExecutor(executor);
    server.start();
    return devKms;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Where clients reach it: {@code http(s)://host:port}. */
  public URI endpoint() {
    String scheme = server instanceof HttpsServer ? "https" : "http";
    InetSocketAddress address = server.getAddress();
    return URI.create(scheme + "://" + address.getHostString() + ":" + address.getPort());
  }

  /**
   * The id of the development key named in {@code file}, made (with the default policy, which is
   * not locked to any code) and written there when the file is absent or names no key here.
   */
  public String developmentKey(Path file) throws IOException {
    if (Files.exists(file)) {
      String kept = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (service.hasKey(kept)) {
        return kept;
      }
    }
    String keyId = service.createDevelopmentKey();
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(temporary, keyId + "\n", StandardCharsets.UTF_8);
    Files.move(
        temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return keyId;
  }

  private void exchange(HttpExchange exchange) throws IOException {
    try (exchange) {
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      String operation =
          target != null && target.startsWith(TARGET_PREFIX)
              ? target.substring(TARGET_PREFIX.length())
              : null;
      ObjectNode answer;
      try {
        answer = service.handle(checked(exchange, operation), body(exchange));
      } catch (KmsError e) {
        LOG.info("dev-kms {} refused: {} {}", operation, e.type(), e.getMessage());
        ObjectNode error = JSON.createObjectNode();
        error.put("__type", e.type());
        error.put("message", e.getMessage());
        exchange.getResponseHeaders().add("x-amzn-ErrorType", e.type());
        send(exchange, 400, error);
        return;
      } catch (RuntimeException e) {
        LOG.warn("dev-kms {} failed", operation, e);
        ObjectNode error = JSON.createObjectNode();
        error.put("__type", "KMSInternalException");
        error.put("message", "dev-kms failed; see its log");
        send(exchange, 500, error);
        return;
      }
      LOG.info("dev-kms {} answered", operation);
      send(exchange, 200, answer);
    }
  }

  private static String checked(HttpExchange exchange, String operation) throws KmsError {
    if (!exchange.getRequestMethod().equals("POST")
        || !exchange.getRequestURI().getPath().equals("/")) {
      throw new KmsError("UnknownOperationException", "KMS takes POST / only");
    }
    if (operation == null) {
      throw new KmsError(
          "UnknownOperationException", "X-Amz-Target must be TrentService.<Operation>");
    }
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.split(";")[0].trim().equalsIgnoreCase(CONTENT_TYPE)) {
      throw new KmsError("SerializationException", "Content-Type must be " + CONTENT_TYPE);
    }
    return operation;
  }

  private static JsonNode body(HttpExchange exchange) throws KmsError, IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    if (body.length > MAX_BODY_BYTES) {
      throw KmsError.validation("the request is larger than " + MAX_BODY_BYTES + " bytes");
    }
    try {
      JsonNode node = JSON.readTree(body.length == 0 ? "{}".getBytes() : body);
      if (node == null || !node.isObject()) {
        throw new KmsError("SerializationException", "the request body is not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new KmsError("SerializationException", "the request body is not valid JSON");
    }
  }

  private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
    ExchangeReply.send(exchange, status, CONTENT_TYPE, JSON.writeValueAsBytes(body));
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
