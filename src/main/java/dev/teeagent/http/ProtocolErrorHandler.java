package dev.teeagent.http;

import dev.teeagent.error.ErrorCode;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's own refusals — a request it cannot parse (400), a URI or headers too long (414, 431), an
 * unsupported HTTP version (505), an upgrade it will not make (426) — made before any route runs.
 * They become signed JSON like every other answer, with one log line each and no stack trace.
 */
final class ProtocolErrorHandler implements Request.Handler {
  private static final Logger LOG = LoggerFactory.getLogger("teeagent.http");

  private final ResponseSigner signer;
  private final SignedResponder responder;

  ProtocolErrorHandler(ResponseSigner signer, SignedResponder responder) {
    this.signer = signer;
    this.responder = responder;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status =
        request.getAttribute(ErrorHandler.ERROR_STATUS) instanceof Integer given
            ? given
            : response.getStatus();
    ErrorMapper.ApiError error = forStatus(status);
    HttpURI uri = request.getHttpURI();
    String method = request.getMethod() == null ? "" : request.getMethod();
    String path = uri == null || uri.getPath() == null ? "" : uri.getPath();
    String query = uri == null ? null : uri.getQuery();
    RequestEcho echo = new RequestEcho(method, path, query, null);
    String requestId = responder.requestId();
    byte[] body =
        signer.sign(error.code().status(), responder.errorPayload(error, requestId), echo, null);
    LOG.info(
        "{} {} {} {} (refused by the HTTP layer) request_id={}",
        method.isEmpty() ? "-" : method,
        path.isEmpty() ? "-" : path,
        error.code().status(),
        error.code().code(),
        requestId);
    response.setStatus(error.code().status());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }

  static ErrorMapper.ApiError forStatus(int status) {
    return switch (status) {
      case 408 ->
          new ErrorMapper.ApiError(
              ErrorCode.BODY_TIMEOUT, "the request did not arrive in time; send it promptly");
      case 413 ->
          new ErrorMapper.ApiError(ErrorCode.BODY_TOO_LARGE, "request body is larger than 1 MiB");
      case 414 ->
          new ErrorMapper.ApiError(
              ErrorCode.URI_TOO_LONG,
              "the request line is longer than " + HttpLimits.MAX_HEADER_BYTES + " bytes");
      case 426 ->
          new ErrorMapper.ApiError(
              ErrorCode.UPGRADE_REQUIRED, "the agent speaks HTTP/1.1 only; send HTTP/1.1");
      case 431 ->
          new ErrorMapper.ApiError(
              ErrorCode.HEADERS_TOO_LARGE,
              "the request headers are larger than " + HttpLimits.MAX_HEADER_BYTES + " bytes");
      case 505 ->
          new ErrorMapper.ApiError(
              ErrorCode.HTTP_VERSION_NOT_SUPPORTED,
              "the agent speaks HTTP/1.1 only; send HTTP/1.1");
      case 503 ->
          new ErrorMapper.ApiError(
              ErrorCode.SERVER_BUSY, "the agent is stopping or busy; try again shortly");
      default ->
          status >= 500
              ? new ErrorMapper.ApiError(ErrorCode.INTERNAL_ERROR, "internal error")
              : new ErrorMapper.ApiError(
                  ErrorCode.BAD_HTTP_REQUEST,
                  "the request is not valid HTTP/1.1 (request line, headers or framing)");
    };
  }
}
