package dev.teeagent.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.crypto.Keccak;
import dev.teeagent.error.ErrorCode;
import io.javalin.http.Context;

/** Writes every JSON answer, success or error, as a body signed by {@link ResponseSigner}. */
final class SignedResponder {
  /** Request attribute holding the validated client nonce (absent when the header was invalid). */
  static final String NONCE_ATTRIBUTE = "teeagent.clientNonce";

  /** Request attribute set once a signed body has been written. */
  static final String SIGNED_ATTRIBUTE = "teeagent.signed";

  private final ResponseSigner signer;
  private final ObjectMapper mapper;

  SignedResponder(ResponseSigner signer, ObjectMapper mapper) {
    this.signer = signer;
    this.mapper = mapper;
  }

  void reply(Context ctx, Reply reply) {
    JsonNode tree = mapper.valueToTree(reply.payload());
    if (!(tree instanceof ObjectNode payload)) {
      throw new IllegalStateException("a payload must be a JSON object");
    }
    write(ctx, reply.status(), payload);
  }

  void error(Context ctx, ErrorCode code, String message) {
    ObjectNode payload = mapper.createObjectNode();
    ObjectNode error = payload.putObject("error");
    error.put("code", code.code());
    error.put("message", message);
    write(ctx, code.status(), payload);
  }

  private void write(Context ctx, int status, ObjectNode payload) {
    String nonce = ctx.attribute(NONCE_ATTRIBUTE);
    byte[] body = signer.sign(status, payload, echo(ctx), nonce);
    ctx.status(status).contentType("application/json; charset=utf-8").result(body);
    ctx.attribute(SIGNED_ATTRIBUTE, Boolean.TRUE);
  }

  static RequestEcho echo(Context ctx) {
    return new RequestEcho(
        ctx.req().getMethod(), ctx.req().getRequestURI(), ctx.queryString(), bodyHash(ctx));
  }

  private static String bodyHash(Context ctx) {
    try {
      byte[] body = ctx.bodyAsBytes();
      return body.length == 0 ? null : Keccak.hashHex(body);
    } catch (RuntimeException unreadable) {
      // Too large or cut off: the bytes were never read, so there is nothing to hash.
      return null;
    }
  }
}
