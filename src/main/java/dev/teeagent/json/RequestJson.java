package dev.teeagent.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Request bodies as the agent accepts them: bounded (tokens, depth) and well-formed Unicode. A lone
 * UTF-16 surrogate (from a {@code \ud800} escape or CESU-style bytes) cannot be encoded as UTF-8,
 * so a string holding one could never be signed or hashed faithfully (RFC 8785 is defined over
 * I-JSON, which has none); such a body is refused, naming the member.
 */
public final class RequestJson {
  private RequestJson() {}

  /** The strict mapper reading at most {@code maxTokens} tokens, nested at most so deep. */
  public static ObjectMapper bounded(int maxTokens, int maxDepth) {
    return JsonMappers.strict(
        StreamReadConstraints.builder().maxTokenCount(maxTokens).maxNestingDepth(maxDepth).build());
  }

  /**
   * The path ("messages[0].content") of the first member name or string of {@code body} holding a
   * lone surrogate. Stops quietly at malformed JSON, which the mapper then reports as usual.
   *
   * @throws StreamConstraintsException when the body exceeds the mapper's read limits
   */
  public static Optional<String> firstLoneSurrogate(ObjectMapper mapper, byte[] body)
      throws StreamConstraintsException {
    try (JsonParser parser = mapper.createParser(body)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if ((token == JsonToken.FIELD_NAME || token == JsonToken.VALUE_STRING)
            && WellFormed.hasLoneSurrogate(parser.getText())) {
          return Optional.of(path(parser.getParsingContext()));
        }
      }
      return Optional.empty();
    } catch (StreamConstraintsException tooBig) {
      throw tooBig;
    } catch (JsonProcessingException malformed) {
      return Optional.empty();
    } catch (IOException unreadable) {
      return Optional.empty();
    }
  }

  /** Where the parser is; a member name is quoted as untrusted text, so the answer stays valid. */
  private static String path(JsonStreamContext context) {
    Deque<String> parts = new ArrayDeque<>();
    for (JsonStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
      if (at.inArray()) {
        parts.addFirst("[" + Math.max(0, at.getCurrentIndex()) + "]");
      } else if (at.getCurrentName() != null) {
        parts.addFirst("." + UntrustedText.quote(at.getCurrentName(), 80));
      }
    }
    String path = String.join("", parts);
    path = path.startsWith(".") ? path.substring(1) : path;
    return path.isEmpty() ? "(the body)" : path;
  }
}
