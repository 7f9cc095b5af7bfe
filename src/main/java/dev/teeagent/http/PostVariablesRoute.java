package dev.teeagent.http;

import dev.teeagent.variables.AgentState;
import dev.teeagent.variables.SignedCommandBatch;
import dev.teeagent.variables.Variable;
import dev.teeagent.variables.VariableCommand;
import dev.teeagent.variables.VariableService;
import dev.teeagent.variables.VariableView;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.math.BigInteger;
import java.util.List;

/** {@code POST /variables}: one operator-signed batch, applied whole or refused whole. */
public final class PostVariablesRoute implements ApiRoute {
  private final JsonBodies bodies;
  private final VariableService service;

  public PostVariablesRoute(JsonBodies bodies, VariableService service) {
    this.bodies = bodies;
    this.service = service;
  }

  /**
   * The accepted batch: its nonce and size, the next operator nonce, the audit entry recording it,
   * the state hash after it, and the variables it touched ({@code deleted} lists those now gone).
   */
  public record BatchAccepted(
      BigInteger nonce,
      int commands,
      BigInteger operatorNonce,
      long auditIndex,
      String auditHash,
      String stateHash,
      List<VariableView> variables,
      List<String> deleted) {
    static BatchAccepted of(SignedCommandBatch request, AgentState.Applied applied) {
      List<String> names =
          request.commands().stream().map(VariableCommand::name).distinct().sorted().toList();
      var after = applied.after().variables();
      return new BatchAccepted(
          request.nonce().value(),
          request.commands().size(),
          applied.after().operatorNonce(),
          applied.entry().index(),
          applied.entry().hash(),
          applied.after().stateHash(),
          names.stream().filter(after::containsKey).map(after::get).map(Variable::view).toList(),
          names.stream().filter(name -> !after.containsKey(name)).toList());
    }
  }

  @Override
  public HandlerType method() {
    return HandlerType.POST;
  }

  @Override
  public String path() {
    return "/variables";
  }

  @Override
  public Reply handle(Context ctx) throws Exception {
    SignedCommandBatch request = bodies.parse(ctx, SignedCommandBatch.class);
    return Reply.ok(BatchAccepted.of(request, service.submit(request)));
  }
}
