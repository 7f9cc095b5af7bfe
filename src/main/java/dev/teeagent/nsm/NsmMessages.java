package dev.teeagent.nsm;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import dev.teeagent.verifier.CborEncoding;
import java.io.IOException;

/**
 * The NSM's CBOR messages, as the reference client (nsm-api, serde) encodes them: unit requests are
 * a bare text string ({@code "GetRandom"}), others a one-entry map from the request's name to its
 * fields; absent optional fields are null. Answers are a map from the same name to the fields, or
 * {@code {"Error": "Code"}}.
 */
public final class NsmMessages {
  static final int MAX_REQUEST_BYTES = 0x1000;
  static final int RESPONSE_BUFFER_BYTES = 0x3000;
  static final int MAX_FIELD_BYTES = 1024;
  static final int MIN_RANDOM_BYTES = 32;

  private static final CBORMapper MAPPER = new CBORMapper(CborEncoding.factory());
  // Bytes after the answer's one CBOR item are refused, as AWS's own client does.
  private static final ObjectReader ANSWER_READER =
      MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private NsmMessages() {}

  static byte[] attestation(byte[] userData, byte[] nonce, byte[] publicKey) throws NsmException {
    for (byte[] field : new byte[][] {userData, nonce, publicKey}) {
      if (field != null && field.length > MAX_FIELD_BYTES) {
        throw new NsmException.ProtocolFailure(
            "an attestation field is larger than " + MAX_FIELD_BYTES + " bytes");
      }
    }
    return CborEncoding.encode(
        out -> {
          out.writeStartObject(null, 1);
          out.writeFieldName("Attestation");
          out.writeStartObject(null, 3);
          writeOptional(out, "user_data", userData);
          writeOptional(out, "nonce", nonce);
          writeOptional(out, "public_key", publicKey);
          out.writeEndObject();
          out.writeEndObject();
        });
  }

  static byte[] describePcr(int index) {
    if (index < 0 || index > 0xffff) {
      throw new IllegalArgumentException("PCR index is a u16");
    }
    return CborEncoding.encode(
        out -> {
          out.writeStartObject(null, 1);
          out.writeFieldName("DescribePCR");
          out.writeStartObject(null, 1);
          out.writeFieldName("index");
          out.writeNumber(index);
          out.writeEndObject();
          out.writeEndObject();
        });
  }

  static byte[] getRandom() {
    return CborEncoding.encode(out -> out.writeString("GetRandom"));
  }

  static byte[] describeNsm() {
    return CborEncoding.encode(out -> out.writeString("DescribeNSM"));
  }

  /**
   * The fields of the answer to {@code request}: the map under its name. An {@code Error} answer
   * becomes {@link NsmException.ErrorAnswer}; anything else unexpected a protocol failure.
   */
  static JsonNode answer(String request, byte[] response) throws NsmException {
    JsonNode root;
    try {
      root = ANSWER_READER.readTree(response);
    } catch (MismatchedInputException e) {
      throw new NsmException.ProtocolFailure(
          request + ": the NSM's answer has bytes after its CBOR item");
    } catch (IOException e) {
      throw new NsmException.ProtocolFailure(request + ": the NSM's answer is not CBOR");
    }
    if (root != null && root.isObject() && root.size() == 1) {
      JsonNode error = root.get("Error");
      if (error != null) {
        throw new NsmException.ErrorAnswer(request, NsmException.ErrorCode.parse(error.asText()));
      }
      JsonNode fields = root.get(request);
      if (fields != null && fields.isObject()) {
        return fields;
      }
    }
    throw new NsmException.ProtocolFailure(request + ": the NSM answered something else");
  }

  /**
   * GetRandom's entropy, refused below {@link #MIN_RANDOM_BYTES}: the agent's SecureRandom is
   * seeded from it before any key is drawn (the real NSM gives 256 bytes).
   */
  static byte[] entropy(JsonNode fields) throws NsmException {
    byte[] random = binary("GetRandom", fields, "random");
    if (random.length < MIN_RANDOM_BYTES) {
      throw new NsmException.ProtocolFailure(
          "GetRandom: the NSM gave "
              + random.length
              + " bytes of entropy, fewer than the "
              + MIN_RANDOM_BYTES
              + " needed");
    }
    return random;
  }

  static byte[] binary(String request, JsonNode fields, String name) throws NsmException {
    JsonNode value = fields.get(name);
    if (value == null || !value.isBinary()) {
      throw new NsmException.ProtocolFailure(request + ": " + name + " is not a byte string");
    }
    try {
      return value.binaryValue();
    } catch (IOException e) {
      throw new NsmException.ProtocolFailure(request + ": " + name + " is not a byte string");
    }
  }

  static int integer(String request, JsonNode fields, String name) throws NsmException {
    JsonNode value = fields.get(name);
    if (value == null || !value.canConvertToInt() || !value.isIntegralNumber()) {
      throw new NsmException.ProtocolFailure(request + ": " + name + " is not an integer");
    }
    return value.intValue();
  }

  static String text(String request, JsonNode fields, String name) throws NsmException {
    JsonNode value = fields.get(name);
    if (value == null || !value.isTextual()) {
      throw new NsmException.ProtocolFailure(request + ": " + name + " is not text");
    }
    return value.textValue();
  }

  /** Encodes an answer (used by the simulated module, and by tests as the device's side). */
  static byte[] encodeAnswer(String name, CborEncoding.Body fields) {
    return CborEncoding.encode(
        out -> {
          out.writeStartObject(null, 1);
          out.writeFieldName(name);
          fields.write(out);
          out.writeEndObject();
        });
  }

  static byte[] encodeError(NsmException.ErrorCode code) {
    return encodeAnswer("Error", out -> out.writeString(code.name()));
  }

  static JsonNode readRequest(byte[] request) throws IOException {
    return MAPPER.readTree(request);
  }

  public static void writeOptional(CBORGenerator out, String name, byte[] value)
      throws IOException {
    out.writeFieldName(name);
    if (value == null) {
      out.writeNull();
    } else {
      out.writeBinary(value);
    }
  }
}
