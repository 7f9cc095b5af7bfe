package dev.teeagent.http;

import dev.teeagent.variables.AgentState;
import dev.teeagent.variables.VariableView;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.math.BigInteger;
import java.util.List;

/**
 * {@code GET /variables}: every variable (hidden ones without value), with the {@code audit_head}
 * and {@code operator_nonce} of the same snapshot, so that {@code state_hash} can be recomputed
 * from this one answer.
 */
public final class VariablesRoute implements ApiRoute {
  private final AgentState state;

  public VariablesRoute(AgentState state) {
    this.state = state;
  }

  public record VariablesView(
      List<VariableView> variables, BigInteger operatorNonce, String auditHead, String stateHash) {}

  @Override
  public HandlerType method() {
    return HandlerType.GET;
  }

  @Override
  public String path() {
    return "/variables";
  }

  @Override
  public Reply handle(Context ctx) {
    AgentState.Snapshot now = state.snapshot();
    return Reply.ok(
        new VariablesView(now.views(), now.operatorNonce(), now.auditHead(), now.stateHash()));
  }
}
