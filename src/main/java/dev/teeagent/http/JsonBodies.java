package dev.teeagent.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import dev.teeagent.json.RequestJson;
import io.javalin.http.Context;
import java.io.IOException;

/**
 * Reads request bodies into request records with the strict mapper: duplicate keys, unknown fields
 * and trailing data are refused (as {@link MalformedBody}, which {@link ErrorMapper} maps to 400s).
 * The body is read within the agent's memory bounds ({@link BodyReader}), may hold at most {@link
 * HttpLimits#MAX_JSON_TOKENS} tokens nested {@link HttpLimits#MAX_JSON_DEPTH} deep (413), must be
 * well-formed Unicode (400 naming the member) and must be a JSON value other than null.
 */
public final class JsonBodies {
  private final ObjectMapper mapper;
  private final BodyReader reader;

  /** Bodies read with the strict mapper's rules, within one shared {@link BodyBudget}. */
  public JsonBodies() {
    this(new BodyBudget(HttpLimits.BODY_BUDGET_BYTES));
  }

  JsonBodies(BodyBudget budget) {
    this.mapper = RequestJson.bounded(HttpLimits.MAX_JSON_TOKENS, HttpLimits.MAX_JSON_DEPTH);
    this.reader = new BodyReader(budget);
  }

  public <T> T parse(Context ctx, Class<T> type) throws IOException {
    byte[] body = reader.read(ctx);
    if (body.length == 0) {
      throw new AgentException(ErrorCode.MALFORMED_JSON, "a JSON request body is required");
    }
    T value;
    try {
      RequestJson.firstLoneSurrogate(mapper, body)
          .ifPresent(
              path -> {
                throw new AgentException(
                    ErrorCode.INVALID_FIELD,
                    "field '"
                        + path
                        + "' holds a lone UTF-16 surrogate (e.g. \\ud800 without its pair);"
                        + " send well-formed Unicode");
              });
      value = mapper.readValue(body, type);
    } catch (StreamConstraintsException tooComplex) {
      throw new AgentException(
          ErrorCode.BODY_TOO_COMPLEX,
          "the request body holds more than "
              + HttpLimits.MAX_JSON_TOKENS
              + " JSON tokens or nests deeper than "
              + HttpLimits.MAX_JSON_DEPTH
              + " levels");
    } catch (JsonProcessingException e) {
      throw new MalformedBody(e);
    }
    if (value == null) {
      throw new AgentException(
          ErrorCode.MALFORMED_JSON, "the request body must be a JSON object, not null");
    }
    return value;
  }
}
