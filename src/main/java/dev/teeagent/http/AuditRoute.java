package dev.teeagent.http;

import dev.teeagent.audit.AuditEntry;
import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import dev.teeagent.variables.AgentState;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.math.BigInteger;
import java.util.List;

/**
 * {@code GET /audit?from=N&limit=M}: a page of the hash-chained log (limit 1–500, default 100),
 * with the log's length and head hash and the state hash at the time of reading.
 */
public final class AuditRoute implements ApiRoute {
  static final int MAX_LIMIT = 500;
  static final int DEFAULT_LIMIT = 100;
  private final AgentState state;

  public AuditRoute(AgentState state) {
    this.state = state;
  }

  public record AuditView(
      List<AuditEntry> entries,
      long from,
      long total,
      String head,
      BigInteger operatorNonce,
      String stateHash) {}

  @Override
  public HandlerType method() {
    return HandlerType.GET;
  }

  @Override
  public String path() {
    return "/audit";
  }

  @Override
  public Reply handle(Context ctx) {
    long from = number(ctx.queryParam("from"), 0, 0, Long.MAX_VALUE, "from");
    int limit = (int) number(ctx.queryParam("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT, "limit");
    AgentState.AuditPage page = state.audit(from, limit);
    AgentState.Snapshot at = page.at();
    return Reply.ok(
        new AuditView(
            page.entries(),
            from,
            at.auditLength(),
            at.auditHead(),
            at.operatorNonce(),
            at.stateHash()));
  }

  private static long number(String text, long fallback, long min, long max, String name) {
    if (text == null) {
      return fallback;
    }
    if (!text.matches("[0-9]{1,18}") || Long.parseLong(text) < min || Long.parseLong(text) > max) {
      throw new AgentException(
          ErrorCode.BAD_QUERY, name + " must be an integer from " + min + " to " + max);
    }
    return Long.parseLong(text);
  }
}
