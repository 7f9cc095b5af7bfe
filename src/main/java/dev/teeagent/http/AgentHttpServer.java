package dev.teeagent.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only Javalin in the agent: registers the {@link ApiRoute}s under /api/v1, signs every answer
 * (Jetty's own refusals included), maps every exception in one place, holds clients to the bounds
 * of {@link HttpLimits}, logs one line per request (with the error code of a refusal) and drains
 * in-flight requests on stop.
 */
public final class AgentHttpServer implements AutoCloseable {
  public static final String API_PREFIX = "/api/v1";
  private static final long STOP_TIMEOUT_MS = 30_000;
  private static final Logger LOG = LoggerFactory.getLogger("teeagent.http");

  private final Javalin javalin;
  private final Semaphore inFlight = new Semaphore(HttpLimits.MAX_IN_FLIGHT);

  public AgentHttpServer(List<ApiRoute> routes, ResponseSigner signer, ObjectMapper mapper) {
    this(routes, signer, mapper, Optional.empty(), new SecureRandom());
  }

  /**
   * With {@code https}: its listeners instead of the one plain port of {@link #start}. {@code
   * random} draws the boot id of the request ids that error answers and log lines share.
   */
  public AgentHttpServer(
      List<ApiRoute> routes,
      ResponseSigner signer,
      ObjectMapper mapper,
      Optional<HttpsConnector> https,
      SecureRandom random) {
    ErrorMapper errors = new ErrorMapper();
    SignedResponder responder = new SignedResponder(signer, mapper, errors, new RequestIds(random));
    ProtocolErrorHandler protocolErrors = new ProtocolErrorHandler(signer, responder);
    this.javalin =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.http.maxRequestSize = HttpLimits.MAX_BODY_BYTES;
              config.http.prefer405over404 = true;
              // The original API's README calls /api/v1//variables; request.path still echoes it.
              config.router.treatMultipleSlashesAsSingleSlash = true;
              config.concurrency.useVirtualThreads = true;
              config.jetty.modifyHttpConfiguration(
                  http -> {
                    http.setSendServerVersion(false);
                    http.setRequestHeaderSize(HttpLimits.MAX_HEADER_BYTES);
                  });
              https.ifPresent(listeners -> listeners.register(config.jetty));
              config.jetty.modifyServer(
                  server -> {
                    server.setStopTimeout(STOP_TIMEOUT_MS);
                    server.insertHandler(new GracefulHandler());
                    server.insertHandler(new CrossOriginReads());
                    server.setErrorHandler(protocolErrors);
                    server.addBean(new NetworkConnectionLimit(HttpLimits.MAX_CONNECTIONS, server));
                    server.addEventListener(new IdleTimeouts());
                  });
              config.requestLogger.http(AgentHttpServer::logRequest);

              config.routes.before(
                  ctx ->
                      ctx.attribute(
                          SignedResponder.NONCE_ATTRIBUTE,
                          ClientNonce.validate(ctx.header(ClientNonce.HEADER))));
              config.routes.get(
                  API_PREFIX + "/health",
                  ctx -> ctx.contentType("application/json").result("{\"status\":\"ok\"}"));
              config.routes.get(
                  API_PREFIX + OpenApiDocument.PATH,
                  ctx ->
                      ctx.contentType(OpenApiDocument.CONTENT_TYPE)
                          .result(OpenApiDocument.bytes()));
              for (ApiRoute route : routes) {
                config.routes.addHttpHandler(
                    route.method(),
                    API_PREFIX + route.path(),
                    ctx -> handleAdmitted(ctx, route, responder));
              }
              // Javalin answers its own HttpResponseExceptions (413, 404…) unsigned unless that
              // exact type has a handler, hence two registrations of the one mapping.
              config.routes.exception(HttpResponseException.class, responder::failed);
              config.routes.exception(Exception.class, responder::failed);
              config.routes.error(
                  404,
                  ctx -> {
                    if (!isSignedJson(ctx)) {
                      responder.error(ctx, ErrorMapper.notFound());
                    }
                  });
              config.routes.error(
                  405,
                  ctx -> {
                    if (!isSignedJson(ctx)) {
                      responder.error(ctx, ErrorMapper.methodNotAllowed());
                    }
                  });
            });
  }

  /**
   * Runs a route within the in-flight bound (a signed 503 beyond it, the body unread) and gives
   * back the body budget the request reserved once its answer is made.
   */
  private void handleAdmitted(Context ctx, ApiRoute route, SignedResponder responder)
      throws Exception {
    if (!inFlight.tryAcquire()) {
      throw new AgentException(
          ErrorCode.SERVER_BUSY,
          "the agent is handling too many requests; try again shortly",
          Map.of(AgentException.RETRY_AFTER_SECONDS, 1));
    }
    try {
      responder.reply(ctx, route.handle(ctx));
    } finally {
      BodyReader.release(ctx);
      inFlight.release();
    }
  }

  /** Sets the idle timeout on every connector once they exist (Javalin adds its own at start). */
  private static final class IdleTimeouts implements LifeCycle.Listener {
    @Override
    public void lifeCycleStarting(LifeCycle event) {
      if (event instanceof Server server) {
        for (Connector connector : server.getConnectors()) {
          if (connector instanceof AbstractConnector network) {
            network.setIdleTimeout(HttpLimits.IDLE_TIMEOUT.toMillis());
          }
        }
      }
    }
  }

  /** Starts listening; port 0 picks a free port. Returns the bound port. */
  public int start(String host, int port) {
    javalin.start(host, port);
    return javalin.port();
  }

  public int port() {
    return javalin.port();
  }

  /** Stops accepting, lets in-flight requests finish (up to 30 s), then closes. */
  @Override
  public void close() {
    LOG.info("stopping: no new requests; finishing those in flight (up to 30 s)");
    javalin.stop();
    LOG.info("stopped");
  }

  private static boolean isSignedJson(Context ctx) {
    return ctx.attribute(SignedResponder.SIGNED_ATTRIBUTE) != null;
  }

  /**
   * One line per request; a refusal carries its error code and the request id of its signed body
   * ("POST /api/v1/x 400 bad_x 1.2ms request_id=3f9a1c2be0d4-17").
   */
  private static void logRequest(Context ctx, Float millis) {
    String code = ctx.attribute(SignedResponder.ERROR_CODE_ATTRIBUTE);
    String requestId = ctx.attribute(SignedResponder.REQUEST_ID_ATTRIBUTE);
    LOG.info(
        "{} {} {} {}{}ms{}",
        ctx.req().getMethod(),
        ctx.req().getRequestURI(),
        ctx.statusCode(),
        code == null ? "" : code + " ",
        String.format(java.util.Locale.ROOT, "%.1f", millis),
        requestId == null ? "" : " request_id=" + requestId);
  }
}
