package dev.teeagent.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.json.JsonMappers;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Routes that exist only in tests, to drive the HTTP layer through shapes real routes lack. */
final class TestRoutes {
  static final ObjectMapper MAPPER = JsonMappers.strict();
  private static final JsonBodies BODIES = new JsonBodies();
  static final String SECRET_IN_EXCEPTION = "hunter2-secret-in-exception";

  private TestRoutes() {}

  record EchoRequest(String text, List<Integer> numbers) {}

  static ApiRoute route(HandlerType method, String path, Handler handler) {
    return new ApiRoute() {
      @Override
      public HandlerType method() {
        return method;
      }

      @Override
      public String path() {
        return path;
      }

      @Override
      public Reply handle(Context ctx) throws Exception {
        return handler.handle(ctx);
      }
    };
  }

  interface Handler {
    Reply handle(Context ctx) throws Exception;
  }

  /** A payload with everything that trips canonicalizers: unicode, escapes, nesting, floats. */
  static ObjectNode trickyPayload() {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("unicode", "héllo wörld ✓ 🚀 \u20ac \uD834\uDD1E");
    node.put("escapes", "quote \" backslash \\ slash / tab \t newline \n nul \u0000 bell \u0007");
    node.putArray("nested").add(1).addArray().add(2.5).add(-0.0).addArray().add("deep");
    node.putArray("floats").add(0.1).add(1e21).add(1e-7).add(123456789.123456789).add(5e-324);
    node.put("big", new java.math.BigInteger("123456789012345678901234567890"));
    ObjectNode keys = node.putObject("keys");
    keys.put("\u20ac", 1).put("\r", 2).put("1", 3).put("\uD83D\uDE00", 4).put("\u00f6", 5);
    node.putNull("nothing");
    node.put("yes", true);
    return node;
  }

  /**
   * Holds {@code /slow} in its handler until the test opens it: the test knows when the request is
   * in flight and decides when it ends, with no sleep and no timing window.
   */
  static final class Gate {
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch open = new CountDownLatch(1);

    void awaitEntered() throws InterruptedException {
      if (!entered.await(30, TimeUnit.SECONDS)) {
        throw new AssertionError("the request never reached its handler");
      }
    }

    void open() {
      open.countDown();
    }

    private void pass() throws InterruptedException {
      entered.countDown();
      if (!open.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never opened the gate");
      }
    }
  }

  static List<ApiRoute> all() {
    return all(new Gate());
  }

  static List<ApiRoute> all(Gate slow) {
    return List.of(
        route(HandlerType.GET, "/tricky", ctx -> Reply.ok(trickyPayload())),
        route(HandlerType.POST, "/echo", ctx -> Reply.ok(BODIES.parse(ctx, EchoRequest.class))),
        route(
            HandlerType.GET,
            "/boom",
            ctx -> {
              throw new IllegalStateException(SECRET_IN_EXCEPTION);
            }),
        route(
            HandlerType.GET,
            "/boom-with-causes",
            ctx -> {
              // A failure three deep, as a library wraps what it met.
              throw new IllegalStateException(
                  "outer",
                  new java.io.UncheckedIOException(
                      "middle\nforged log line", new java.io.IOException("innermost")));
            }),
        route(
            HandlerType.GET,
            "/upstream-garbage",
            ctx -> {
              // A service that lets the parse error of an upstream's answer escape.
              MAPPER.readTree("{\"from\": \"upstream\", " + SECRET_IN_EXCEPTION);
              return Reply.ok(MAPPER.createObjectNode());
            }),
        route(
            HandlerType.GET,
            "/slow",
            ctx -> {
              slow.pass();
              return Reply.ok(MAPPER.createObjectNode().put("slow", true));
            }),
        route(
            HandlerType.GET,
            "/longer-than-idle-timeout",
            ctx -> {
              // An answer that takes long without I/O, as a slow LLM's does.
              Thread.sleep(HttpLimits.IDLE_TIMEOUT.toMillis() + 2_000);
              return Reply.ok(MAPPER.createObjectNode().put("slow", true));
            }));
  }

  static AgentHttpServer server(SigningKey key) {
    return server(key, new Gate());
  }

  static AgentHttpServer server(SigningKey key, Gate slow) {
    ResponseSigner signer = new ResponseSigner("http-test", key, Clock.systemUTC());
    return new AgentHttpServer(all(slow), signer, MAPPER);
  }

  static SigningKey freshKey() {
    return SigningKey.generate(new SecureRandom());
  }
}
