package dev.teeagent.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import io.javalin.http.HttpResponseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where exceptions become client errors. Messages are composed here from what is safe
 * to show (field names, positions); text of library exceptions is never passed through, and
 * anything unexpected is a 500 whose message says nothing about internals. Jackson's exceptions are
 * the client's fault only when they come from the request body ({@link MalformedBody}); any other
 * one (an upstream's answer, the agent's own state) is unexpected.
 */
final class ErrorMapper {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

  /** Detail of a 405: the methods the path takes (also sent as the Allow header). */
  static final String ALLOWED_METHODS = "allowed_methods";

  private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']{0,80})");

  record ApiError(ErrorCode code, String message, Map<String, Object> details) {
    ApiError(ErrorCode code, String message) {
      this(code, message, Map.of());
    }
  }

  /** The client's error for {@code e}; an unexpected one is logged under {@code requestId}. */
  ApiError map(Exception e, String requestId) {
    return switch (e) {
      case AgentException agent ->
          new ApiError(agent.code(), agent.clientMessage(), agent.details());
      case HttpResponseException http -> fromFramework(http, requestId);
      case MalformedBody body -> fromJson(body.jackson());
      default -> internal(e, requestId);
    };
  }

  private ApiError fromFramework(HttpResponseException e, String requestId) {
    return switch (e.getStatus()) {
      case 404 -> notFound();
      case 405 -> methodNotAllowed(e.getDetails().get("availableMethods"));
      case 413 -> new ApiError(ErrorCode.BODY_TOO_LARGE, "request body is larger than 1 MiB");
      case 415 -> new ApiError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "unsupported content type");
      default -> internal(e, requestId);
    };
  }

  /** 404: no route matches the path. */
  static ApiError notFound() {
    return new ApiError(ErrorCode.NOT_FOUND, "no such endpoint");
  }

  /** 405 when the methods the path does take are not known. */
  static ApiError methodNotAllowed() {
    return new ApiError(ErrorCode.METHOD_NOT_ALLOWED, "method not allowed on this path");
  }

  /** 405 with the methods the path does take, in the message and for the {@code Allow} header. */
  static ApiError methodNotAllowed(String available) {
    List<String> allowed =
        available == null
            ? List.of()
            : Arrays.stream(available.split("[,\\s\\[\\]]+"))
                .filter(method -> method.matches("[A-Z]{3,7}"))
                .distinct()
                .toList();
    if (allowed.isEmpty()) {
      return methodNotAllowed();
    }
    return new ApiError(
        ErrorCode.METHOD_NOT_ALLOWED,
        "method not allowed on this path; allowed: " + String.join(", ", allowed),
        Map.of(ALLOWED_METHODS, allowed));
  }

  private ApiError fromJson(JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException unknown) {
      return new ApiError(ErrorCode.UNKNOWN_FIELD, "unknown field '" + fieldPath(unknown) + "'");
    }
    Matcher duplicate = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
    if (duplicate.find()) {
      return new ApiError(ErrorCode.DUPLICATE_KEY, "duplicate key '" + duplicate.group(1) + "'");
    }
    if (e instanceof ValueInstantiationException instantiation
        && instantiation.getCause() instanceof AgentException agent) {
      // A nested record refused itself: say where ("messages[2]: …").
      String where = instantiation.getPath().isEmpty() ? "" : fieldPath(instantiation) + ": ";
      return new ApiError(agent.code(), where + agent.clientMessage(), agent.details());
    }
    if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
      String field = fieldPath(mismatch);
      if (mismatch instanceof InvalidFormatException || mismatch.getTargetType() != null) {
        return new ApiError(ErrorCode.INVALID_FIELD, "field '" + field + "' has the wrong type");
      }
      return new ApiError(ErrorCode.INVALID_FIELD, "field '" + field + "' is invalid");
    }
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      return new ApiError(ErrorCode.INVALID_FIELD, "field '" + fieldPath(mapping) + "' is invalid");
    }
    if (e instanceof JsonParseException || e instanceof MismatchedInputException) {
      var location = e.getLocation();
      String where =
          location == null
              ? ""
              : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
      return new ApiError(ErrorCode.MALFORMED_JSON, "malformed JSON" + where);
    }
    return new ApiError(ErrorCode.MALFORMED_JSON, "malformed JSON");
  }

  /** "commands[2].name" from Jackson's reference chain. */
  static String fieldPath(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.length() > 200 ? path.substring(0, 200) + "…" : path.toString();
  }

  /**
   * A 500: the client learns nothing about internals, the log gets the whole cause chain under the
   * id the signed body carries too, so that an operator finds the cause of a client's 500.
   */
  private static ApiError internal(Exception e, String requestId) {
    LOG.error("request_id={} internal error: {}", requestId, CauseChain.describe(e));
    return new ApiError(ErrorCode.INTERNAL_ERROR, "internal error");
  }
}
