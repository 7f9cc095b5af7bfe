package dev.teeagent.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.crypto.EthSignature;
import dev.teeagent.crypto.Jcs;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.json.SafeNumbers;
import dev.teeagent.json.WellFormed;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Signs answers per DESIGN §3: the payload's members plus {@code tee_name, signer, timestamp,
 * status, request, client_nonce, state}, canonicalized with JCS and signed with EIP-191
 * personal_sign; {@code signature} is appended last. No HTTP framework here, so streaming and tests
 * reuse it. {@code state} says which state the agent was in when it signed (DESIGN §3): a host that
 * hands back an older sealed snapshot cannot hide it from a client that compares two answers.
 */
public final class ResponseSigner {
  /** Members the envelope owns; a payload may not set them. */
  public static final Set<String> ENVELOPE_MEMBERS =
      Set.of(
          "tee_name",
          "signer",
          "timestamp",
          "status",
          "request",
          "client_nonce",
          "state",
          "signature");

  /**
   * The envelope's {@code state}: the counter of the last committed state (with {@code
   * --state-dir}, the sealed snapshot's; without, the changes committed since the start), and the
   * audit log's length and head hash.
   */
  public record SignedState(long counter, long auditLength, String auditHead) {
    /** Before anything was committed: counter 0, an empty log. */
    public static final SignedState EMPTY = new SignedState(0, 0, "0x" + "00".repeat(32));
  }

  private final String teeName;
  private final SigningKey key;
  private final Clock clock;
  private final Supplier<SignedState> state;

  /** A signer whose answers always carry {@link SignedState#EMPTY} (tests and benches). */
  public ResponseSigner(String teeName, SigningKey key, Clock clock) {
    this(teeName, key, clock, () -> SignedState.EMPTY);
  }

  public ResponseSigner(String teeName, SigningKey key, Clock clock, Supplier<SignedState> state) {
    this.teeName = teeName;
    this.key = key;
    this.clock = clock;
    this.state = state;
  }

  /**
   * The signed body bytes. {@code payload} is consumed (numbers beyond 2^53 become strings, lone
   * surrogates U+FFFD, the envelope members are added).
   */
  public byte[] sign(int status, ObjectNode payload, RequestEcho request, String clientNonce) {
    for (String member : ENVELOPE_MEMBERS) {
      if (payload.has(member)) {
        throw new IllegalStateException("payload sets the envelope member " + member);
      }
    }
    SafeNumbers.makeSafe(payload);
    // Text from upstreams may hold lone surrogates; requests holding one were refused already.
    WellFormed.repair(payload);
    payload.put("tee_name", teeName);
    payload.put("signer", key.address().checksummed());
    payload.put("timestamp", clock.millis());
    payload.put("status", status);
    ObjectNode echo = payload.putObject("request");
    echo.put("method", request.method());
    echo.put("path", request.path());
    echo.put("query", request.query());
    echo.put("body_hash", request.bodyHash());
    payload.put("client_nonce", clientNonce);
    SignedState now = state.get();
    ObjectNode signedState = payload.putObject("state");
    signedState.put("counter", now.counter());
    signedState.put("audit_length", now.auditLength());
    signedState.put("audit_head", now.auditHead());

    byte[] canonical = Jcs.canonicalize(payload);
    EthSignature signature = key.signPersonalMessage(canonical);
    // The canonical text plus one last member: verifiers drop "signature" and re-canonicalize.
    byte[] tail =
        (",\"signature\":\"" + signature.toHex() + "\"}").getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[canonical.length - 1 + tail.length];
    System.arraycopy(canonical, 0, body, 0, canonical.length - 1);
    System.arraycopy(tail, 0, body, canonical.length - 1, tail.length);
    return body;
  }
}
