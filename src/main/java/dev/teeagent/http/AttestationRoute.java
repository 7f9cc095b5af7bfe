package dev.teeagent.http;

import dev.teeagent.attestation.AttestationService;
import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import dev.teeagent.json.UntrustedText;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code GET /attestation?nonce=0x…} (DESIGN §4): a fresh NSM document binding the agent's key and
 * state to the caller's nonce (1–64 bytes).
 */
public final class AttestationRoute implements ApiRoute {
  static final int MAX_NONCE_BYTES = 64;
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]*");

  private final AttestationService attestation;

  public AttestationRoute(AttestationService attestation) {
    this.attestation = attestation;
  }

  @Override
  public HandlerType method() {
    return HandlerType.GET;
  }

  @Override
  public String path() {
    return "/attestation";
  }

  @Override
  public Reply handle(Context ctx) {
    byte[] nonce = nonce(ctx);
    return Reply.ok(AttestationView.of(attestation.attest(nonce), attestation.mode()));
  }

  static byte[] nonce(Context ctx) {
    for (String name : ctx.queryParamMap().keySet()) {
      if (!name.equals("nonce")) {
        throw badQuery("unknown query parameter '" + UntrustedText.quote(name, 40) + "'");
      }
    }
    List<String> values = ctx.queryParams("nonce");
    if (values.size() != 1) {
      throw badQuery("give the query parameter nonce exactly once: nonce=0x<1 to 64 bytes of hex>");
    }
    String value = values.getFirst();
    if (!value.startsWith("0x") || !HEX.matcher(value.substring(2)).matches()) {
      throw badQuery("nonce must be 0x followed by hex digits");
    }
    String digits = value.substring(2);
    if (digits.isEmpty() || digits.length() % 2 != 0 || digits.length() > 2 * MAX_NONCE_BYTES) {
      throw badQuery("nonce must be 1 to 64 whole bytes (2 to 128 hex digits)");
    }
    return HexFormat.of().parseHex(digits);
  }

  private static AgentException badQuery(String message) {
    return new AgentException(ErrorCode.BAD_QUERY, message);
  }
}
