package dev.teeagent.nsm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teeagent.verifier.CborEncoding;
import dev.teeagent.verifier.CoseSign1;
import java.io.IOException;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;

/**
 * The NSM outside an enclave: answers the same CBOR requests with documents of exactly the real
 * shape (untagged COSE_Sign1, ES384, the nine payload fields in AWS's order, 16 PCRs of 48 bytes,
 * cabundle root first) signed by a {@link SimulatedChain} made at start. Its documents verify only
 * against that chain's root, never against AWS's.
 */
public final class SimulatedNsm extends CborNsm {
  private static final int RANDOM_BYTES = 256;
  private static final int MAX_PCRS = 32;

  private final Clock clock;
  private final SecureRandom random;
  private final SigningChain chain;
  private final SortedMap<Integer, byte[]> pcrs;
  private final String moduleId;

  private SimulatedNsm(
      Clock clock,
      SecureRandom random,
      SigningChain chain,
      SortedMap<Integer, byte[]> pcrs,
      String moduleId) {
    this.clock = clock;
    this.random = random;
    this.chain = chain;
    this.pcrs = pcrs;
    this.moduleId = moduleId;
  }

  /** A simulated module whose PCR0..2 measure the running code. */
  public static SimulatedNsm start(Clock clock, SecureRandom random) {
    // Hashing the jar and generating the P-384 chain are independent and each take a noticeable
    // part of the start: measure the code on another core meanwhile.
    CompletableFuture<CodeMeasurement> code =
        CompletableFuture.supplyAsync(CodeMeasurement::ofRunningCode);
    String moduleId = newModuleId(random);
    SimulatedChain chain = SimulatedChain.generate(clock.instant(), random, moduleId);
    return new SimulatedNsm(clock, random, chain, code.join().pcrs(), moduleId);
  }

  /**
   * A simulated module whose CA is kept in {@code caFile} ({@code serve --state-dir}): restarts
   * attest under the same root and module id.
   */
  public static SimulatedNsm keptIn(java.nio.file.Path caFile, Clock clock, SecureRandom random) {
    CompletableFuture<CodeMeasurement> code =
        CompletableFuture.supplyAsync(CodeMeasurement::ofRunningCode);
    SimulatedChain chain =
        SimulatedChain.keptIn(caFile, clock.instant(), random, newModuleId(random));
    return new SimulatedNsm(clock, random, chain, code.join().pcrs(), chain.moduleId());
  }

  /** A module signing with another chain (tests: one shaped like AWS's, on a skewable clock). */
  static SimulatedNsm withChain(
      Clock clock,
      SecureRandom random,
      SigningChain chain,
      SortedMap<Integer, byte[]> pcrs,
      String moduleId) {
    return new SimulatedNsm(clock, random, chain, pcrs, moduleId);
  }

  static SimulatedNsm start(Clock clock, SecureRandom random, CodeMeasurement code) {
    String moduleId = newModuleId(random);
    SimulatedChain chain = SimulatedChain.generate(clock.instant(), random, moduleId);
    return new SimulatedNsm(clock, random, chain, code.pcrs(), moduleId);
  }

  /** The real format: i-<17 hex digits>-enc<16 hex digits>. */
  private static String newModuleId(SecureRandom random) {
    HexFormat hex = HexFormat.of();
    byte[] instance = new byte[9];
    byte[] enclave = new byte[8];
    random.nextBytes(instance);
    random.nextBytes(enclave);
    return "i-" + hex.formatHex(instance).substring(1) + "-enc" + hex.formatHex(enclave);
  }

  /** The throw-away root every simulated document chains to. */
  public X509Certificate rootCertificate() {
    return chain.root();
  }

  @Override
  public AttestationMode mode() {
    return AttestationMode.SIMULATED;
  }

  @Override
  byte[] exchange(String name, byte[] request) throws NsmException {
    JsonNode decoded;
    try {
      decoded = NsmMessages.readRequest(request);
    } catch (IOException e) {
      return NsmMessages.encodeError(NsmException.ErrorCode.InvalidArgument);
    }
    if (decoded != null && decoded.isTextual()) {
      return switch (decoded.textValue()) {
        case "GetRandom" -> randomAnswer();
        case "DescribeNSM" -> describeAnswer();
        default -> NsmMessages.encodeError(NsmException.ErrorCode.InvalidOperation);
      };
    }
    if (decoded == null || !decoded.isObject() || decoded.size() != 1) {
      return NsmMessages.encodeError(NsmException.ErrorCode.InvalidArgument);
    }
    Map.Entry<String, JsonNode> only = decoded.properties().iterator().next();
    return switch (only.getKey()) {
      case "Attestation" -> attestationAnswer(only.getValue());
      case "DescribePCR" -> pcrAnswer(only.getValue());
      default -> NsmMessages.encodeError(NsmException.ErrorCode.InvalidOperation);
    };
  }

  private byte[] attestationAnswer(JsonNode fields) {
    byte[][] values = new byte[3][];
    String[] names = {"user_data", "nonce", "public_key"};
    for (int i = 0; i < names.length; i++) {
      JsonNode value = fields.get(names[i]);
      if (value == null || !(value.isNull() || value.isBinary())) {
        return NsmMessages.encodeError(NsmException.ErrorCode.InvalidArgument);
      }
      try {
        values[i] = value.isNull() ? null : value.binaryValue();
      } catch (IOException e) {
        return NsmMessages.encodeError(NsmException.ErrorCode.InvalidArgument);
      }
      if (values[i] != null && values[i].length > NsmMessages.MAX_FIELD_BYTES) {
        return NsmMessages.encodeError(NsmException.ErrorCode.InputTooLarge);
      }
    }
    byte[] document = document(clock.instant(), values[0], values[1], values[2]);
    return NsmMessages.encodeAnswer(
        "Attestation", single("document", out -> out.writeBinary(document)));
  }

  /** Signs a document for {@code now}: the payload in AWS's field order, then COSE_Sign1. */
  private byte[] document(Instant now, byte[] userData, byte[] nonce, byte[] publicKey) {
    SimulatedChain.Leaf leaf = chain.leafAt(now);
    byte[] payload =
        CborEncoding.encode(
            out -> {
              out.writeStartObject(null, 9);
              out.writeFieldName("module_id");
              out.writeString(moduleId);
              out.writeFieldName("digest");
              out.writeString("SHA384");
              out.writeFieldName("timestamp");
              out.writeNumber(now.toEpochMilli());
              out.writeFieldName("pcrs");
              out.writeStartObject(null, pcrs.size());
              for (Map.Entry<Integer, byte[]> pcr : pcrs.entrySet()) {
                out.writeFieldId(pcr.getKey());
                out.writeBinary(pcr.getValue());
              }
              out.writeEndObject();
              out.writeFieldName("certificate");
              out.writeBinary(der(leaf.certificate()));
              out.writeFieldName("cabundle");
              List<X509Certificate> bundle = chain.cabundle();
              out.writeStartArray(null, bundle.size());
              for (X509Certificate certificate : bundle) {
                out.writeBinary(der(certificate));
              }
              out.writeEndArray();
              NsmMessages.writeOptional(out, "public_key", publicKey);
              NsmMessages.writeOptional(out, "user_data", userData);
              NsmMessages.writeOptional(out, "nonce", nonce);
              out.writeEndObject();
            });
    byte[] protectedHeader = CoseSign1.es384ProtectedHeader();
    byte[] toBeSigned = new CoseSign1(protectedHeader, payload, new byte[0]).toBeSigned();
    return new CoseSign1(
            protectedHeader, payload, SimulatedChain.sign(leaf.key(), toBeSigned, random))
        .encode();
  }

  private byte[] pcrAnswer(JsonNode fields) {
    JsonNode index = fields.get("index");
    if (index == null || !index.isIntegralNumber() || !index.canConvertToInt()) {
      return NsmMessages.encodeError(NsmException.ErrorCode.InvalidArgument);
    }
    int i = index.intValue();
    if (i < 0 || i >= MAX_PCRS) {
      return NsmMessages.encodeError(NsmException.ErrorCode.InvalidIndex);
    }
    byte[] value = pcrs.getOrDefault(i, new byte[CodeMeasurement.PCR_BYTES]);
    return NsmMessages.encodeAnswer(
        "DescribePCR",
        map(
            out -> {
              out.writeFieldName("lock");
              out.writeBoolean(pcrs.containsKey(i));
              out.writeFieldName("data");
              out.writeBinary(value);
            },
            2));
  }

  private byte[] randomAnswer() {
    byte[] bytes = new byte[RANDOM_BYTES];
    random.nextBytes(bytes);
    return NsmMessages.encodeAnswer("GetRandom", single("random", out -> out.writeBinary(bytes)));
  }

  private byte[] describeAnswer() {
    return NsmMessages.encodeAnswer(
        "DescribeNSM",
        map(
            out -> {
              out.writeFieldName("version_major");
              out.writeNumber(1);
              out.writeFieldName("version_minor");
              out.writeNumber(0);
              out.writeFieldName("version_patch");
              out.writeNumber(0);
              out.writeFieldName("module_id");
              out.writeString(moduleId);
              out.writeFieldName("max_pcrs");
              out.writeNumber(MAX_PCRS);
              out.writeFieldName("locked_pcrs");
              out.writeStartArray(null, pcrs.size());
              for (int index : pcrs.keySet()) {
                out.writeNumber(index);
              }
              out.writeEndArray();
              out.writeFieldName("digest");
              out.writeString("SHA384");
            },
            7));
  }

  private static CborEncoding.Body single(String name, CborEncoding.Body value) {
    return map(
        out -> {
          out.writeFieldName(name);
          value.write(out);
        },
        1);
  }

  private static CborEncoding.Body map(CborEncoding.Body fields, int size) {
    return out -> {
      out.writeStartObject(null, size);
      fields.write(out);
      out.writeEndObject();
    };
  }

  private static byte[] der(X509Certificate certificate) throws IOException {
    try {
      return certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IOException("certificate cannot be encoded", e);
    }
  }

  @Override
  public void close() {
    // Nothing to release: the keys are garbage once unreferenced.
  }
}
