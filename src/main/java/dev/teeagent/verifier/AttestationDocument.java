package dev.teeagent.verifier;

import dev.teeagent.json.UntrustedText;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The payload of a Nitro attestation document, checked field by field against AWS's specification
 * (aws-nitro-enclaves-nsm-api, docs/attestation_process.md §3.2.2): the six mandatory fields with
 * their types and sizes, the three optional ones absent, null or byte strings, and nothing else.
 * Parsing proves the shape only; {@link AttestationVerifier} proves who signed it.
 */
public record AttestationDocument(
    String moduleId,
    String digest,
    long timestampMillis,
    SortedMap<Integer, byte[]> pcrs,
    byte[] certificate,
    List<byte[]> cabundle,
    Optional<byte[]> publicKey,
    Optional<byte[]> userData,
    Optional<byte[]> nonce) {

  static final int MAX_PCRS = 32;
  static final int MAX_CERTIFICATE_BYTES = 1024;
  static final int MAX_CABUNDLE = 16;

  /** AWS's CDDL: public_key, user_data and nonce are each 0 to 1024 bytes. */
  static final int MAX_OPTIONAL_FIELD_BYTES = 1024;

  private static final Set<Integer> PCR_SIZES = Set.of(32, 48, 64);
  private static final Set<String> FIELDS =
      Set.of(
          "module_id",
          "digest",
          "timestamp",
          "pcrs",
          "certificate",
          "cabundle",
          "public_key",
          "user_data",
          "nonce");

  public AttestationDocument {
    pcrs = Collections.unmodifiableSortedMap(new TreeMap<>(pcrs));
    cabundle = List.copyOf(cabundle);
  }

  public Instant timestamp() {
    return Instant.ofEpochMilli(timestampMillis);
  }

  /** A debug-mode enclave reports PCR0 as all zeros (its memory can be read by the host). */
  public boolean debugMode() {
    byte[] pcr0 = pcrs.get(0);
    if (pcr0 == null) {
      return false;
    }
    for (byte b : pcr0) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  public static AttestationDocument parse(byte[] payload) throws AttestationVerificationException {
    if (!(CborReader.decode(payload) instanceof Map<?, ?> fields)) {
      throw invalid("the payload is not a CBOR map");
    }
    for (Object key : fields.keySet()) {
      if (!(key instanceof String name) || !FIELDS.contains(name)) {
        throw invalid("unknown payload field " + describe(key));
      }
    }
    String moduleId = text(fields, "module_id");
    if (moduleId.isEmpty()) {
      throw invalid("module_id is empty");
    }
    String digest = text(fields, "digest");
    if (!digest.equals("SHA384")) {
      throw invalid("digest is not SHA384");
    }
    if (!(fields.get("timestamp") instanceof Long timestamp) || timestamp <= 0) {
      throw invalid("timestamp is not a positive integer");
    }
    return new AttestationDocument(
        moduleId,
        digest,
        timestamp,
        pcrs(fields.get("pcrs")),
        bytes(fields.get("certificate"), "certificate", 1, MAX_CERTIFICATE_BYTES),
        cabundle(fields.get("cabundle")),
        optionalBytes(fields, "public_key", 0, MAX_OPTIONAL_FIELD_BYTES),
        optionalBytes(fields, "user_data", 0, MAX_OPTIONAL_FIELD_BYTES),
        optionalBytes(fields, "nonce", 0, MAX_OPTIONAL_FIELD_BYTES));
  }

  private static SortedMap<Integer, byte[]> pcrs(Object value)
      throws AttestationVerificationException {
    if (!(value instanceof Map<?, ?> map) || map.isEmpty() || map.size() > MAX_PCRS) {
      throw invalid("pcrs is not a map of 1 to " + MAX_PCRS + " entries");
    }
    SortedMap<Integer, byte[]> pcrs = new TreeMap<>();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (!(entry.getKey() instanceof Long index) || index < 0 || index >= MAX_PCRS) {
        throw invalid("PCR index " + describe(entry.getKey()) + " is not an integer in 0..31");
      }
      if (!(entry.getValue() instanceof byte[] pcr) || !PCR_SIZES.contains(pcr.length)) {
        throw invalid("PCR" + index + " is not a byte string of 32, 48 or 64 bytes");
      }
      pcrs.put(index.intValue(), pcr);
    }
    return pcrs;
  }

  private static List<byte[]> cabundle(Object value) throws AttestationVerificationException {
    if (!(value instanceof List<?> list) || list.isEmpty() || list.size() > MAX_CABUNDLE) {
      throw invalid("cabundle is not an array of 1 to " + MAX_CABUNDLE + " certificates");
    }
    List<byte[]> certificates = new ArrayList<>();
    for (Object item : list) {
      certificates.add(bytes(item, "cabundle entry", 1, MAX_CERTIFICATE_BYTES));
    }
    return certificates;
  }

  private static Optional<byte[]> optionalBytes(Map<?, ?> fields, String name, int min, int max)
      throws AttestationVerificationException {
    Object value = fields.get(name);
    if (value == null || value == CborReader.NULL) {
      return Optional.empty();
    }
    return Optional.of(bytes(value, name, min, max));
  }

  private static byte[] bytes(Object value, String name, int min, int max)
      throws AttestationVerificationException {
    if (!(value instanceof byte[] bytes) || bytes.length < min || bytes.length > max) {
      throw invalid(name + " is not a byte string of " + min + " to " + max + " bytes");
    }
    return bytes;
  }

  private static String text(Map<?, ?> fields, String name)
      throws AttestationVerificationException {
    if (!(fields.get(name) instanceof String text)) {
      throw invalid(name + " is missing or not text");
    }
    return text;
  }

  private static String describe(Object key) {
    return key instanceof String text ? "\"" + UntrustedText.quote(text, 64) + "\"" : "" + key;
  }

  private static AttestationVerificationException invalid(String reason) {
    return new AttestationVerificationException(Check.FIELDS, reason);
  }
}
