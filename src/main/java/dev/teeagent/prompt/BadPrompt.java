package dev.teeagent.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import dev.teeagent.json.SafeNumbers;
import java.util.regex.Pattern;

/** The 400s of a malformed prompt body, raised before anything is sent to the provider. */
final class BadPrompt {
  /** OpenAI's rule for function and participant names. */
  static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

  private BadPrompt() {}

  static AgentException invalid(String message) {
    return new AgentException(ErrorCode.INVALID_FIELD, message);
  }

  static AgentException missing(String field) {
    return new AgentException(ErrorCode.MISSING_FIELD, field + " is required");
  }

  static void requireName(String field, String value) {
    if (value == null) {
      throw missing(field);
    }
    if (!NAME.matcher(value).matches()) {
      throw invalid(field + " must be 1 to 64 letters, digits, '_' or '-'");
    }
  }

  /** Echoed in a signed answer and hashed: every number must survive JCS unchanged. */
  static void requireSignable(String field, JsonNode value) {
    if (!SafeNumbers.isSignable(value)) {
      throw invalid(field + " holds a number beyond ±2^53 or not finite");
    }
  }

  static void requireRange(String field, Double value, double min, double max) {
    if (value != null && !(value >= min && value <= max)) {
      throw invalid(field + " must be between " + min + " and " + max);
    }
  }
}
