package dev.teeagent.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.math.BigInteger;

/**
 * The one JSON configuration of the agent. Strict on input — duplicate keys, unknown fields,
 * trailing tokens and numbers where text is expected are errors, because anything silently dropped
 * or coerced could change meaning unseen — and snake_case on output, with every {@link BigInteger}
 * written as a decimal string (JCS treats numbers as doubles).
 */
public final class JsonMappers {
  private JsonMappers() {}

  public static ObjectMapper strict() {
    return strict(StreamReadConstraints.defaults());
  }

  /** The strict mapper with read limits, e.g. bounded token count and nesting for requests. */
  public static ObjectMapper strict(StreamReadConstraints limits) {
    SimpleModule amounts = new SimpleModule("amounts-as-strings");
    amounts.addSerializer(BigInteger.class, ToStringSerializer.instance);
    return JsonMapper.builder(JsonFactory.builder().streamReadConstraints(limits).build())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        // Parse errors must not quote the body back: it may hold ciphertexts of secrets.
        .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
        .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        // 3.5 into an int field would otherwise become 3, silently.
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .addModule(amounts)
        .build();
  }
}
