package dev.teeagent.nsm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teeagent.verifier.AwsShapedChain;
import java.io.IOException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The NSM as the syscall harness ({@code src/test/c/nsm_harness.c}) serves it: real NSM answers
 * (the simulated module's protocol code on an AWS-shaped throw-away chain, 16 PCRs of 48 bytes,
 * PCR0..2 set), a clock that can be skewed, and one {@link Fault} per request kind on demand. It
 * counts every request by kind and keeps the last document it signed.
 */
public final class EmulatedNsm {
  /** What the module does instead of answering correctly. */
  public enum Fault {
    /** {@code {"Error": "InternalError"}}. */
    ERROR,
    /** Bytes that are not CBOR. */
    GARBAGE,
    /** The first half of the real answer. */
    TRUNCATED,
    /** An answer of 0 bytes. */
    EMPTY,
    /** No answer at all: the ioctl stays blocked. */
    MISSING,
    /** The real answer and one byte more. */
    TRAILING,
    /** An answer longer than the caller's 12 KiB buffer (the driver truncates it). */
    OVERSIZED,
    /** GetRandom answered with an empty byte string. */
    EMPTY_RANDOM,
    /** The ioctl fails with ETIMEDOUT, as the driver does after 120 s. */
    ETIMEDOUT
  }

  /** What the harness does with one ioctl. */
  public sealed interface Reply {
    record Answer(byte[] bytes) implements Reply {}

    record Errno(int errno) implements Reply {}

    record Silence() implements Reply {}
  }

  private static final int ETIMEDOUT = 110;

  private final SecureRandom random = new SecureRandom();
  private final AwsShapedChain chain;
  private final SortedMap<Integer, byte[]> pcrs = new TreeMap<>();
  private final SimulatedNsm module;
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final Map<String, Fault> faults = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<byte[]> documents = new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<String> sequence = new CopyOnWriteArrayList<>();
  private volatile Duration skew = Duration.ZERO;

  public EmulatedNsm() {
    String moduleId = "i-0123456789abcdef0-enc" + HexFormat.of().formatHex(random.generateSeed(8));
    chain = new AwsShapedChain(Instant.now(), random, moduleId);
    for (int i = 0; i < CodeMeasurement.PCR_COUNT; i++) {
      byte[] pcr = new byte[CodeMeasurement.PCR_BYTES];
      if (i <= 2) {
        random.nextBytes(pcr);
      }
      pcrs.put(i, pcr);
    }
    Clock skewed =
        new Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return Instant.now().plus(skew);
          }
        };
    module = SimulatedNsm.withChain(skewed, random, chain, pcrs, moduleId);
  }

  /** Requests named {@code kind} get {@code fault} until {@link #heal}. */
  public void fail(String kind, Fault fault) {
    faults.put(kind, fault);
  }

  public void heal() {
    faults.clear();
  }

  /** The module's signed time runs {@code offset} off the real one. */
  public void skewClock(Duration offset) {
    skew = offset;
  }

  public X509Certificate root() {
    return chain.root();
  }

  public byte[] pcr(int index) {
    return pcrs.get(index).clone();
  }

  /** Expected PCRs as {@code verify --pcrs} reads them. */
  public String pcrsJson() {
    HexFormat hex = HexFormat.of();
    return "{\"HashAlgorithm\": \"Sha384 { ... }\", \"PCR0\": \""
        + hex.formatHex(pcrs.get(0))
        + "\", \"PCR1\": \""
        + hex.formatHex(pcrs.get(1))
        + "\", \"PCR2\": \""
        + hex.formatHex(pcrs.get(2))
        + "\"}";
  }

  /** How many requests of each kind arrived (faulty answers included). */
  public Map<String, Integer> calls() {
    Map<String, Integer> counts = new TreeMap<>();
    calls.forEach((kind, count) -> counts.put(kind, count.get()));
    return counts;
  }

  /** Every request's kind, in the order they arrived. */
  public java.util.List<String> sequence() {
    return java.util.List.copyOf(sequence);
  }

  /** The documents this module signed, in order. */
  public java.util.List<byte[]> documents() {
    return java.util.List.copyOf(documents);
  }

  /** Answers one request, as read from the caller's request iovec. */
  public Reply handle(byte[] request) throws NsmException {
    String kind = kind(request);
    calls.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    sequence.add(kind);
    Fault fault = faults.get(kind);
    if (fault == Fault.MISSING) {
      return new Reply.Silence();
    }
    if (fault == Fault.ETIMEDOUT) {
      return new Reply.Errno(ETIMEDOUT);
    }
    byte[] answer = module.exchange(kind, request);
    if (fault == null && kind.equals("Attestation")) {
      JsonNode fields = NsmMessages.answer(kind, answer);
      documents.add(NsmMessages.binary(kind, fields, "document"));
    }
    if (fault == null) {
      return new Reply.Answer(answer);
    }
    return new Reply.Answer(
        switch (fault) {
          case ERROR -> NsmMessages.encodeError(NsmException.ErrorCode.InternalError);
          case GARBAGE -> {
            byte[] garbage = new byte[64];
            random.nextBytes(garbage);
            garbage[0] = (byte) 0xff; // a CBOR "break" with nothing open: never valid
            yield garbage;
          }
          case TRUNCATED -> Arrays.copyOf(answer, answer.length / 2);
          case EMPTY -> new byte[0];
          case TRAILING -> Arrays.copyOf(answer, answer.length + 1);
          case OVERSIZED -> oversized(kind);
          case EMPTY_RANDOM ->
              NsmMessages.encodeAnswer(
                  "GetRandom",
                  out -> {
                    out.writeStartObject(null, 1);
                    out.writeFieldName("random");
                    out.writeBinary(new byte[0]);
                    out.writeEndObject();
                  });
          case MISSING, ETIMEDOUT -> throw new AssertionError("handled above");
        });
  }

  /** A well-formed answer of 16 KiB, more than the agent's 12 KiB response buffer. */
  private static byte[] oversized(String kind) {
    return NsmMessages.encodeAnswer(
        kind,
        out -> {
          out.writeStartObject(null, 1);
          out.writeFieldName("padding");
          out.writeBinary(new byte[16 * 1024]);
          out.writeEndObject();
        });
  }

  private static String kind(byte[] request) {
    try {
      JsonNode decoded = NsmMessages.readRequest(request);
      if (decoded != null && decoded.isTextual()) {
        return decoded.textValue();
      }
      if (decoded != null && decoded.isObject() && decoded.size() == 1) {
        return decoded.properties().iterator().next().getKey();
      }
    } catch (IOException e) {
      return "(not CBOR)";
    }
    return "(unknown)";
  }
}
