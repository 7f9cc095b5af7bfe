package dev.teeagent.http;

import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import dev.teeagent.variables.AgentState;
import dev.teeagent.variables.Variable;
import dev.teeagent.variables.VariableRules;
import dev.teeagent.variables.VariableView;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.math.BigInteger;

/** {@code GET /variables/{name}}: one variable (a hidden one without value). */
public final class VariableRoute implements ApiRoute {
  private final AgentState state;

  public VariableRoute(AgentState state) {
    this.state = state;
  }

  public record OneVariable(VariableView variable, BigInteger operatorNonce, String stateHash) {}

  @Override
  public HandlerType method() {
    return HandlerType.GET;
  }

  @Override
  public String path() {
    return "/variables/{name}";
  }

  @Override
  public Reply handle(Context ctx) {
    String name = ctx.pathParam("name");
    if (!VariableRules.NAME.matcher(name).matches()) {
      throw new AgentException(
          ErrorCode.INVALID_VARIABLE_NAME, "a variable name matches ^[a-z][a-z0-9_]{0,63}$");
    }
    AgentState.Snapshot now = state.snapshot();
    Variable variable = now.variables().get(name);
    if (variable == null) {
      throw new AgentException(ErrorCode.VARIABLE_NOT_FOUND, "no variable named " + name);
    }
    return Reply.ok(new OneVariable(variable.view(), now.operatorNonce(), now.stateHash()));
  }
}
