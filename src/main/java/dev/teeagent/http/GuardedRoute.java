package dev.teeagent.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;

/**
 * A route that first runs a guard (which throws an {@code AgentException} to refuse), e.g. the
 * clock check: while the agent's clock is off, every endpoint answers 503 clock_skew.
 */
public record GuardedRoute(ApiRoute route, Runnable guard) implements ApiRoute {
  public static List<ApiRoute> all(List<ApiRoute> routes, Runnable guard) {
    return routes.stream().<ApiRoute>map(route -> new GuardedRoute(route, guard)).toList();
  }

  @Override
  public HandlerType method() {
    return route.method();
  }

  @Override
  public String path() {
    return route.path();
  }

  @Override
  public Reply handle(Context ctx) throws Exception {
    guard.run();
    return route.handle(ctx);
  }
}
