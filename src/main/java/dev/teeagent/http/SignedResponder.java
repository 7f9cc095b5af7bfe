package dev.teeagent.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;

/** Writes every JSON answer, success or error, as a body signed by {@link ResponseSigner}. */
final class SignedResponder {
  /** Request attribute holding the validated client nonce (absent when the header was invalid). */
  static final String NONCE_ATTRIBUTE = "teeagent.clientNonce";

  /** Request attribute holding the error code of a refusal, for the request's log line. */
  static final String ERROR_CODE_ATTRIBUTE = "teeagent.errorCode";

  /** Request attribute holding the id of a refused or failed request (body and log line). */
  static final String REQUEST_ID_ATTRIBUTE = "teeagent.requestId";

  /** The member of every signed error body that carries the request id. */
  static final String REQUEST_ID_MEMBER = "request_id";

  /** Request attribute set once a signed body has been written. */
  static final String SIGNED_ATTRIBUTE = "teeagent.signed";

  private final ResponseSigner signer;
  private final ObjectMapper mapper;
  private final ErrorMapper errors;
  private final RequestIds requestIds;

  SignedResponder(
      ResponseSigner signer, ObjectMapper mapper, ErrorMapper errors, RequestIds requestIds) {
    this.signer = signer;
    this.mapper = mapper;
    this.errors = errors;
    this.requestIds = requestIds;
  }

  /** The request's id, made on first use: only refused or failed requests get one. */
  String requestId(Context ctx) {
    String id = ctx.attribute(REQUEST_ID_ATTRIBUTE);
    if (id == null) {
      id = requestIds.next();
      ctx.attribute(REQUEST_ID_ATTRIBUTE, id);
    }
    return id;
  }

  /** A fresh id for a request refused before any route ran (no context exists). */
  String requestId() {
    return requestIds.next();
  }

  /** An exception a route (or Javalin) threw: mapped, logged under the request id if a 500. */
  void failed(Exception e, Context ctx) {
    error(ctx, errors.map(e, requestId(ctx)));
  }

  void reply(Context ctx, Reply reply) {
    if (reply.payload() instanceof EventStream stream) {
      stream(ctx, stream);
      return;
    }
    write(ctx, reply.status(), objectPayload(reply.payload()));
  }

  private ObjectNode objectPayload(Object payload) {
    JsonNode tree = mapper.valueToTree(payload);
    if (!(tree instanceof ObjectNode object)) {
      throw new IllegalStateException("a payload must be a JSON object");
    }
    return object;
  }

  /** Relays the producer's events, then signs its result (or its failure) as the last event. */
  private void stream(Context ctx, EventStream stream) {
    EventStreamWriter events = new EventStreamWriter(ctx);
    int status;
    ObjectNode payload;
    try {
      payload = objectPayload(stream.producer().produce(events::send));
      status = 200;
    } catch (IOException clientGone) {
      ctx.attribute(SIGNED_ATTRIBUTE, Boolean.TRUE);
      return;
    } catch (RuntimeException e) {
      if (!events.started()) {
        throw e; // nothing written yet: an ordinary signed error answer
      }
      ErrorMapper.ApiError error = errors.map(e, requestId(ctx));
      ctx.attribute(ERROR_CODE_ATTRIBUTE, error.code().code());
      status = error.code().status();
      payload = errorPayload(error, requestId(ctx));
    }
    ctx.attribute(SIGNED_ATTRIBUTE, Boolean.TRUE);
    String nonce = ctx.attribute(NONCE_ATTRIBUTE);
    try {
      // The HTTP status went out with the first event; the signed `status` tells the outcome.
      events.sendSigned(signer.sign(status, payload, echo(ctx), nonce));
    } catch (IOException clientGone) {
      // Nobody left to tell.
    }
  }

  void error(Context ctx, ErrorCode code, String message) {
    error(ctx, new ErrorMapper.ApiError(code, message));
  }

  void error(Context ctx, ErrorMapper.ApiError error) {
    Object retryAfter = error.details().get(AgentException.RETRY_AFTER_SECONDS);
    if (retryAfter != null) {
      ctx.header("Retry-After", retryAfter.toString());
    }
    if (error.details().get(ErrorMapper.ALLOWED_METHODS) instanceof List<?> allowed) {
      ctx.header("Allow", String.join(", ", allowed.stream().map(String::valueOf).toList()));
    }
    ctx.attribute(ERROR_CODE_ATTRIBUTE, error.code().code());
    write(ctx, error.code().status(), errorPayload(error, requestId(ctx)));
  }

  /**
   * {@code {"error": {code, message, details…}, "request_id": …}}, the envelope added on signing.
   */
  ObjectNode errorPayload(ErrorMapper.ApiError error, String requestId) {
    ObjectNode payload = mapper.createObjectNode();
    ObjectNode body = payload.putObject("error");
    body.put("code", error.code().code());
    body.put("message", error.message());
    error.details().forEach((name, value) -> body.set(name, mapper.valueToTree(value)));
    payload.put(REQUEST_ID_MEMBER, requestId);
    return payload;
  }

  private void write(Context ctx, int status, ObjectNode payload) {
    String nonce = ctx.attribute(NONCE_ATTRIBUTE);
    byte[] body = signer.sign(status, payload, echo(ctx), nonce);
    ctx.status(status).contentType("application/json; charset=utf-8").result(body);
    ctx.attribute(SIGNED_ATTRIBUTE, Boolean.TRUE);
  }

  /**
   * The request as signed into the answer. {@code body_hash} is that of the body the agent read; a
   * body it did not read (a route that takes none, a refusal made before reading) is not read just
   * to hash it, so the echo says null.
   */
  static RequestEcho echo(Context ctx) {
    return new RequestEcho(
        ctx.req().getMethod(),
        ctx.req().getRequestURI(),
        ctx.queryString(),
        ctx.attribute(BodyReader.HASH_ATTRIBUTE));
  }
}
