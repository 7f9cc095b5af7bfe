package dev.teeagent.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.json.UntrustedText;
import java.io.IOException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PCR values a verifier expects, by index. Read from a pcrs.json file in the format {@code
 * nitro-cli build-enclave} prints under "Measurements" (and {@code make eif} writes to
 * build/pcrs.json):
 *
 * <pre>{"HashAlgorithm": "Sha384 { ... }", "PCR0": "hex", "PCR1": "hex", "PCR2": "hex"}</pre>
 *
 * <p>The whole {@code {"Measurements": {...}}} output of nitro-cli is accepted too. Any PCRn (n in
 * 0..31, e.g. PCR8 for the signing certificate) may appear; values are 48 bytes of hex, with or
 * without 0x.
 */
public record ExpectedPcrs(SortedMap<Integer, byte[]> values) {
  private static final Pattern PCR_NAME = Pattern.compile("PCR(\\d{1,2})");
  private static final Pattern HEX = Pattern.compile("(0x)?([0-9a-fA-F]{96})");
  private static final int PCR_BYTES = 48;

  public ExpectedPcrs {
    values = Collections.unmodifiableSortedMap(new TreeMap<>(values));
  }

  public static ExpectedPcrs none() {
    return new ExpectedPcrs(new TreeMap<>());
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** A copy that also expects PCR {@code index} = {@code hex}. */
  public ExpectedPcrs with(int index, String hex) {
    if (index < 0 || index >= AttestationDocument.MAX_PCRS) {
      throw new IllegalArgumentException("PCR index must be 0..31, not " + index);
    }
    SortedMap<Integer, byte[]> copy = new TreeMap<>(values);
    copy.put(index, parseHex("PCR" + index, hex));
    return new ExpectedPcrs(copy);
  }

  /** Parses a pcrs.json text; the message of the exception names what is wrong. */
  public static ExpectedPcrs parseJson(byte[] json, ObjectMapper mapper) {
    JsonNode root;
    try {
      root = mapper.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("pcrs file is not JSON");
    }
    if (root != null && root.size() == 1 && root.has("Measurements")) {
      root = root.get("Measurements");
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("pcrs file must be a JSON object of \"PCRn\": \"hex\"");
    }
    ExpectedPcrs pcrs = none();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (name.equals("HashAlgorithm")) {
        if (!value.isTextual() || !value.textValue().startsWith("Sha384")) {
          throw new IllegalArgumentException("pcrs file: HashAlgorithm must be Sha384");
        }
        continue;
      }
      Matcher pcr = PCR_NAME.matcher(name);
      if (!pcr.matches() || !value.isTextual()) {
        throw new IllegalArgumentException(
            "pcrs file: unexpected member \"" + UntrustedText.quote(name, 64) + "\"");
      }
      pcrs = pcrs.with(Integer.parseInt(pcr.group(1)), value.textValue());
    }
    return pcrs;
  }

  private static byte[] parseHex(String name, String hex) {
    Matcher matcher = HEX.matcher(hex == null ? "" : hex.strip());
    if (!matcher.matches()) {
      throw new IllegalArgumentException(name + " must be " + PCR_BYTES + " bytes of hex");
    }
    return HexFormat.of().parseHex(matcher.group(2));
  }
}
