package dev.teeagent.http;

import dev.teeagent.prompt.PromptRequest;
import dev.teeagent.prompt.PromptService;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

/**
 * {@code POST /prompt}: a chat completion through the operator's LLM provider, signed (DESIGN §4).
 * With {@code "stream": true} the provider's chunks are relayed as server-sent events and the
 * assembled answer comes last, as a signed event.
 */
public final class PromptRoute implements ApiRoute {
  private final PromptService prompts;
  private final JsonBodies bodies;

  public PromptRoute(PromptService prompts, JsonBodies bodies) {
    this.prompts = prompts;
    this.bodies = bodies;
  }

  @Override
  public HandlerType method() {
    return HandlerType.POST;
  }

  @Override
  public String path() {
    return "/prompt";
  }

  @Override
  public Reply handle(Context ctx) throws Exception {
    prompts.refuseIfBusy(); // before the body is read: a refused prompt costs no parsing
    PromptRequest request = bodies.parse(ctx, PromptRequest.class);
    if (request.stream()) {
      return Reply.ok(new EventStream(sink -> prompts.stream(request, sink::send)));
    }
    return Reply.ok(prompts.answer(request));
  }
}
