package dev.teeagent.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.error.ErrorCode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.List;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only Javalin in the agent: registers the {@link ApiRoute}s under /api/v1, signs every answer,
 * maps every exception in one place, caps bodies at 1 MiB, logs one line per request and drains
 * in-flight requests on stop.
 */
public final class AgentHttpServer implements AutoCloseable {
  public static final String API_PREFIX = "/api/v1";
  static final long MAX_BODY_BYTES = 1024 * 1024;
  private static final long STOP_TIMEOUT_MS = 30_000;
  private static final Logger LOG = LoggerFactory.getLogger("teeagent.http");

  private final Javalin javalin;

  public AgentHttpServer(List<ApiRoute> routes, ResponseSigner signer, ObjectMapper mapper) {
    ErrorMapper errors = new ErrorMapper();
    SignedResponder responder = new SignedResponder(signer, mapper, errors);
    this.javalin =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.http.maxRequestSize = MAX_BODY_BYTES;
              config.http.prefer405over404 = true;
              // The original API's README calls /api/v1//variables; request.path still echoes it.
              config.router.treatMultipleSlashesAsSingleSlash = true;
              config.concurrency.useVirtualThreads = true;
              config.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
              config.jetty.modifyServer(
                  server -> {
                    server.setStopTimeout(STOP_TIMEOUT_MS);
                    server.insertHandler(new GracefulHandler());
                    server.insertHandler(new CrossOriginReads());
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
              for (ApiRoute route : routes) {
                config.routes.addHttpHandler(
                    route.method(),
                    API_PREFIX + route.path(),
                    ctx -> responder.reply(ctx, route.handle(ctx)));
              }
              // Javalin answers its own HttpResponseExceptions (413, 404…) unsigned unless that
              // exact
              // type has a handler, hence two registrations of the one mapping.
              config.routes.exception(
                  HttpResponseException.class,
                  (e, ctx) -> {
                    responder.error(ctx, errors.map(e));
                  });
              config.routes.exception(
                  Exception.class,
                  (e, ctx) -> {
                    responder.error(ctx, errors.map(e));
                  });
              config.routes.error(
                  404,
                  ctx -> {
                    if (!isSignedJson(ctx)) {
                      responder.error(ctx, ErrorCode.NOT_FOUND, "no such endpoint");
                    }
                  });
              config.routes.error(
                  405,
                  ctx -> {
                    if (!isSignedJson(ctx)) {
                      responder.error(
                          ctx, ErrorCode.METHOD_NOT_ALLOWED, "method not allowed on this path");
                    }
                  });
            });
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
    javalin.stop();
  }

  private static boolean isSignedJson(Context ctx) {
    return ctx.attribute(SignedResponder.SIGNED_ATTRIBUTE) != null;
  }

  private static void logRequest(Context ctx, Float millis) {
    LOG.info(
        "{} {} {} {}ms",
        ctx.req().getMethod(),
        ctx.req().getRequestURI(),
        ctx.statusCode(),
        String.format(java.util.Locale.ROOT, "%.1f", millis));
  }
}
