package dev.teeagent.http;

import dev.teeagent.transactions.SignTransactionRequest;
import dev.teeagent.transactions.TransactionOrchestrator;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

/**
 * {@code POST /sign-transaction}: signs (and by default broadcasts) under the policy (DESIGN §4).
 */
public final class SignTransactionRoute implements ApiRoute {
  private final JsonBodies bodies;
  private final TransactionOrchestrator signer;

  public SignTransactionRoute(JsonBodies bodies, TransactionOrchestrator signer) {
    this.bodies = bodies;
    this.signer = signer;
  }

  @Override
  public HandlerType method() {
    return HandlerType.POST;
  }

  @Override
  public String path() {
    return "/sign-transaction";
  }

  @Override
  public Reply handle(Context ctx) throws Exception {
    SignTransactionRequest request = bodies.parse(ctx, SignTransactionRequest.class);
    return Reply.ok(signer.sign(request));
  }
}
