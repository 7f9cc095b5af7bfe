package dev.teeagent.http;

import dev.teeagent.crypto.Keccak;
import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.EofException;

/**
 * Reads a request body under the agent's bounds: its declared length is checked before any byte is
 * read, its bytes and their parsing are reserved in the {@link BodyBudget} first (a signed 503 when
 * the budget is spent), and a body cut short, badly chunked, too slow or too long becomes a signed
 * 4xx instead of an exception from the HTTP layer. The reservation is released with the request
 * ({@link #release}); the body's hash is kept for the signed request echo.
 */
final class BodyReader {
  static final String HASH_ATTRIBUTE = "teeagent.bodyHash";
  private static final String RESERVATION_ATTRIBUTE = "teeagent.bodyReservation";

  private final BodyBudget budget;

  BodyReader(BodyBudget budget) {
    this.budget = budget;
  }

  /** The body's bytes (empty when there is none). */
  byte[] read(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > HttpLimits.MAX_BODY_BYTES) {
      throw tooLarge();
    }
    long expected = declared >= 0 ? declared : HttpLimits.MAX_BODY_BYTES;
    BodyBudget.Reservation reservation =
        budget.tryReserve(expected + HttpLimits.parseAllowance(expected));
    if (reservation == null) {
      throw new AgentException(
          ErrorCode.SERVER_BUSY,
          "the agent is handling too many request bodies; try again shortly",
          Map.of(AgentException.RETRY_AFTER_SECONDS, 1));
    }
    ctx.attribute(RESERVATION_ATTRIBUTE, reservation);
    byte[] body = readBounded(ctx, declared);
    ctx.attribute(HASH_ATTRIBUTE, body.length == 0 ? null : Keccak.hashHex(body));
    return body;
  }

  /** Gives back what {@link #read} reserved for this request, if anything. */
  static void release(Context ctx) {
    BodyBudget.Reservation reservation = ctx.attribute(RESERVATION_ATTRIBUTE);
    if (reservation != null) {
      reservation.close();
    }
  }

  private static byte[] readBounded(Context ctx, long declared) {
    long deadline = System.nanoTime() + HttpLimits.BODY_DEADLINE.toNanos();
    byte[] buffer = new byte[declared >= 0 ? (int) declared : 16 * 1024];
    int length = 0;
    try (InputStream in = ctx.req().getInputStream()) {
      while (true) {
        if (length == buffer.length) {
          if (declared >= 0) {
            break;
          }
          if (length >= HttpLimits.MAX_BODY_BYTES) {
            if (in.read() < 0) {
              break;
            }
            throw tooLarge();
          }
          buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, HttpLimits.MAX_BODY_BYTES));
        }
        int n = in.read(buffer, length, buffer.length - length);
        if (n < 0) {
          break;
        }
        length += n;
        if (System.nanoTime() > deadline) {
          throw slow();
        }
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof AgentException agent) {
        throw agent;
      }
      throw unreadable(e);
    }
    if (declared >= 0 && length < declared) {
      throw incomplete();
    }
    return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
  }

  private static AgentException unreadable(Exception e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof TimeoutException) {
        return slow();
      }
      if (cause instanceof EofException) {
        // Also what Jetty reports for broken chunked framing; an HttpException too, so tested
        // first.
        return incomplete();
      }
      if (cause instanceof HttpException http && http.getCode() == 413) {
        return tooLarge();
      }
      if (cause instanceof HttpException) {
        return new AgentException(
            ErrorCode.BAD_HTTP_REQUEST,
            "the request body is not valid HTTP framing (e.g. bad chunked encoding)");
      }
    }
    return incomplete();
  }

  private static AgentException incomplete() {
    return new AgentException(
        ErrorCode.BODY_INCOMPLETE,
        "the request body ended before it was complete (cut short, or broken chunked framing);"
            + " send the whole body");
  }

  private static AgentException slow() {
    return new AgentException(
        ErrorCode.BODY_TIMEOUT,
        "the request body did not arrive within "
            + HttpLimits.BODY_DEADLINE.toSeconds()
            + " s (or stalled for "
            + HttpLimits.IDLE_TIMEOUT.toSeconds()
            + " s)");
  }

  private static AgentException tooLarge() {
    return new AgentException(ErrorCode.BODY_TOO_LARGE, "request body is larger than 1 MiB");
  }
}
