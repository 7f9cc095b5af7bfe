package dev.teeagent.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import io.javalin.http.Context;
import java.io.IOException;

/**
 * Reads request bodies into request records with the strict mapper: duplicate keys, unknown fields
 * and trailing data are refused (as {@link MalformedBody}, which {@link ErrorMapper} maps to 400s).
 */
public final class JsonBodies {
  private final ObjectMapper mapper;

  public JsonBodies(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public <T> T parse(Context ctx, Class<T> type) throws IOException {
    byte[] body = ctx.bodyAsBytes();
    if (body.length == 0) {
      throw new AgentException(ErrorCode.MALFORMED_JSON, "a JSON request body is required");
    }
    try {
      return mapper.readValue(body, type);
    } catch (JsonProcessingException e) {
      throw new MalformedBody(e);
    }
  }
}
