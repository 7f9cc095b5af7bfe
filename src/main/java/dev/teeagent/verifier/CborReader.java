package dev.teeagent.verifier;

import dev.teeagent.crypto.Utf8;
import dev.teeagent.json.UntrustedText;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A strict decoder for the CBOR subset attestation documents use (RFC 8949): integers, byte and
 * text strings, arrays, maps with integer or text keys, booleans and null, each definite or
 * indefinite length. Items come back as {@link Long}, {@code byte[]}, {@link String}, {@link List},
 * {@link Map}, {@link Boolean} or {@link #NULL}.
 *
 * <p>Why not Jackson's CBOR parser, which the NSM protocol uses: on untrusted documents the
 * verifier must tell an integer key from a text key (PCR indices are integers), refuse tags and
 * simple values, and bound allocation by the input. Jackson folds integer keys into text, drops
 * tags and turns simple values into numbers. Here every declared length is checked against the
 * bytes that remain before anything is allocated, nesting is capped, and every failure is an {@link
 * AttestationVerificationException}.
 */
public final class CborReader {
  /** CBOR null, distinct from an absent map entry. */
  public static final Object NULL =
      new Object() {
        @Override
        public String toString() {
          return "null";
        }
      };

  private static final int MAX_DEPTH = 16;
  private static final int BREAK = 0xff;

  private final byte[] data;
  private int pos;

  private CborReader(byte[] data) {
    this.data = data;
  }

  /** Decodes exactly one item that spans all of {@code data}. */
  public static Object decode(byte[] data) throws AttestationVerificationException {
    CborReader reader = new CborReader(data);
    Object item = reader.item(0);
    if (reader.pos != data.length) {
      throw reader.malformed((data.length - reader.pos) + " trailing bytes after the item");
    }
    return item;
  }

  private Object item(int depth) throws AttestationVerificationException {
    if (depth > MAX_DEPTH) {
      throw malformed("nested deeper than " + MAX_DEPTH + " levels");
    }
    int initial = nextByte();
    int major = initial >>> 5;
    int info = initial & 0x1f;
    if (info == 31) {
      return indefinite(major, depth);
    }
    long argument = argument(info);
    return switch (major) {
      case 0 -> nonNegative(argument);
      case 1 -> -1 - nonNegative(argument);
      case 2 -> take(length(argument));
      case 3 -> utf8(take(length(argument)));
      case 4 -> array(count(argument, 1), depth);
      case 5 -> map(count(argument, 2), depth);
      case 6 -> throw malformed("CBOR tags are not accepted here");
      default -> simple(info);
    };
  }

  private Object indefinite(int major, int depth) throws AttestationVerificationException {
    return switch (major) {
      case 2 -> chunks(2);
      case 3 -> utf8Chunks();
      case 4 -> {
        List<Object> items = new ArrayList<>();
        while (!atBreak()) {
          items.add(item(depth + 1));
        }
        yield items;
      }
      case 5 -> {
        Map<Object, Object> entries = new LinkedHashMap<>();
        while (!atBreak()) {
          put(entries, item(depth + 1), item(depth + 1));
        }
        yield entries;
      }
      case 7 -> throw malformed("unexpected break");
      default -> throw malformed("indefinite length is not allowed for major type " + major);
    };
  }

  private List<Object> array(int count, int depth) throws AttestationVerificationException {
    List<Object> items = new ArrayList<>(Math.min(count, 64));
    for (int i = 0; i < count; i++) {
      items.add(item(depth + 1));
    }
    return items;
  }

  private Map<Object, Object> map(int count, int depth) throws AttestationVerificationException {
    Map<Object, Object> entries = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      put(entries, item(depth + 1), item(depth + 1));
    }
    return entries;
  }

  private void put(Map<Object, Object> entries, Object key, Object value)
      throws AttestationVerificationException {
    if (!(key instanceof Long) && !(key instanceof String)) {
      throw malformed("map keys must be integers or text");
    }
    if (entries.putIfAbsent(key, value) != null) {
      throw malformed("duplicate map key " + describeKey(key));
    }
  }

  private byte[] chunks(int major) throws AttestationVerificationException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (!atBreak()) {
      int initial = nextByte();
      if (initial >>> 5 != major || (initial & 0x1f) == 31) {
        throw malformed("an indefinite-length string holds a chunk of another type");
      }
      out.writeBytes(take(length(argument(initial & 0x1f))));
    }
    return out.toByteArray();
  }

  private String utf8Chunks() throws AttestationVerificationException {
    StringBuilder text = new StringBuilder();
    while (!atBreak()) {
      int initial = nextByte();
      if (initial >>> 5 != 3 || (initial & 0x1f) == 31) {
        throw malformed("an indefinite-length string holds a chunk of another type");
      }
      text.append(utf8(take(length(argument(initial & 0x1f)))));
    }
    return text.toString();
  }

  private Object simple(int info) throws AttestationVerificationException {
    return switch (info) {
      case 20 -> Boolean.FALSE;
      case 21 -> Boolean.TRUE;
      case 22 -> NULL;
      default -> throw malformed("unsupported simple value or float (" + info + ")");
    };
  }

  private long argument(int info) throws AttestationVerificationException {
    if (info < 24) {
      return info;
    }
    int size =
        switch (info) {
          case 24 -> 1;
          case 25 -> 2;
          case 26 -> 4;
          case 27 -> 8;
          default -> throw malformed("reserved additional information " + info);
        };
    if (data.length - pos < size) {
      throw malformed("truncated");
    }
    long value = 0;
    for (int i = 0; i < size; i++) {
      value = (value << 8) | (data[pos++] & 0xff);
    }
    return value;
  }

  private long nonNegative(long argument) throws AttestationVerificationException {
    if (argument < 0) {
      throw malformed("integer beyond 2^63");
    }
    return argument;
  }

  /** A string length: never more than the bytes that remain. */
  private int length(long argument) throws AttestationVerificationException {
    if (argument < 0 || argument > data.length - pos) {
      throw malformed("declared length exceeds the input");
    }
    return (int) argument;
  }

  /** An element count: each element takes at least {@code minBytes}, so it is bounded too. */
  private int count(long argument, int minBytes) throws AttestationVerificationException {
    if (argument < 0 || argument > (long) (data.length - pos) / minBytes) {
      throw malformed("declared element count exceeds the input");
    }
    return (int) argument;
  }

  private byte[] take(int length) {
    byte[] out = java.util.Arrays.copyOfRange(data, pos, pos + length);
    pos += length;
    return out;
  }

  private boolean atBreak() throws AttestationVerificationException {
    if (pos >= data.length) {
      throw malformed("truncated (missing break)");
    }
    if ((data[pos] & 0xff) == BREAK) {
      pos++;
      return true;
    }
    return false;
  }

  private int nextByte() throws AttestationVerificationException {
    if (pos >= data.length) {
      throw malformed("truncated");
    }
    return data[pos++] & 0xff;
  }

  private String utf8(byte[] bytes) throws AttestationVerificationException {
    Optional<String> text = Utf8.decodeStrict(bytes);
    if (text.isEmpty()) {
      throw malformed("text string is not valid UTF-8");
    }
    return text.get();
  }

  private static String describeKey(Object key) {
    if (key instanceof String text) {
      return "\"" + UntrustedText.quote(text, 64) + "\"";
    }
    return String.valueOf(key);
  }

  private AttestationVerificationException malformed(String what) {
    return new AttestationVerificationException(
        Check.SIGNATURE, "malformed CBOR at byte " + pos + ": " + what);
  }
}
