package dev.teeagent.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;

/**
 * One endpoint: its method and path under {@code /api/v1}, and a thin handler that parses, calls a
 * service and returns a {@link Reply}. Refusals are thrown as {@link
 * dev.teeagent.error.AgentException}; signing and error mapping happen around the handler.
 */
public interface ApiRoute {
  HandlerType method();

  /** Path below /api/v1, e.g. "/config" or "/variables/{name}". */
  String path();

  Reply handle(Context ctx) throws Exception;
}
