package dev.teeagent.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.audit.AuditEntry;
import dev.teeagent.crypto.Address;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.tls.TlsIdentity;
import dev.teeagent.transactions.BudgetLedger;
import dev.teeagent.transactions.NonceTracker;
import dev.teeagent.transactions.SignerNonces;
import dev.teeagent.transactions.TransactionPolicy;
import dev.teeagent.variables.AgentState;
import dev.teeagent.variables.HiddenValues;
import dev.teeagent.variables.Variable;
import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The agent state a sealed snapshot carries, as one JSON document: every piece that keeps an old
 * signed command out after a restart (the operator nonce, the API signers' nonces, the agent's
 * nonce on each chain), the budget's spendings with their times, the audit log and the variables. A
 * hidden value is kept as an ECIES ciphertext to the agent's own key (re-encrypted; the hash shown
 * stays the one of the ciphertext it arrived in), so its plaintext is never written, even inside
 * the sealed blob. The agent's TLS key and certificate, when it has them, ride along under {@code
 * tls} (PKCS#8 and DER, base64): only ever inside the sealed snapshot, like the agent key, so the
 * HTTPS pin survives a restart; a document without them (made before HTTPS was turned on) is still
 * format 1.
 *
 * <p>{@link #restore} checks everything before it changes anything: the audit chain is recomputed,
 * every number parsed, every hidden value opened.
 */
public final class StateDocument {
  static final int FORMAT = 1;

  /** The live pieces a document is taken from and restored into. */
  public record Parts(
      SigningKey agentKey,
      AgentState state,
      SignerNonces signerNonces,
      NonceTracker chainNonces,
      TransactionPolicy policy) {}

  private final Parts parts;
  private final ObjectMapper mapper;
  private final SecureRandom random;
  private final Optional<TlsIdentity> tls;

  public StateDocument(Parts parts, ObjectMapper mapper, SecureRandom random) {
    this(parts, mapper, random, Optional.empty());
  }

  /** As above, keeping {@code tls} in every capture. */
  public StateDocument(
      Parts parts, ObjectMapper mapper, SecureRandom random, Optional<TlsIdentity> tls) {
    this.parts = parts;
    this.mapper = mapper;
    this.random = random;
    this.tls = tls;
  }

  /** The TLS identity a captured document keeps, if any; refuses a malformed one. */
  public static Optional<TlsIdentity> storedTls(ObjectMapper mapper, byte[] document)
      throws StateRefused {
    try {
      JsonNode node = mapper.readTree(document).path("tls");
      if (node.isMissingNode()) {
        return Optional.empty();
      }
      byte[] privateKey = Base64.getDecoder().decode(node.required("private_key").asText());
      try {
        return Optional.of(
            TlsIdentity.restore(
                privateKey, Base64.getDecoder().decode(node.required("certificate").asText())));
      } finally {
        Arrays.fill(privateKey, (byte) 0);
      }
    } catch (IOException | RuntimeException e) {
      throw new StateRefused("the sealed state's TLS key is malformed", e);
    }
  }

  /** The state now; call under {@link AgentState#exclusively} (or its commit hook). */
  public byte[] capture() {
    AgentState.Image image = parts.state().image();
    ObjectNode root = mapper.createObjectNode();
    root.put("format", FORMAT);
    root.put("operator_nonce", image.operatorNonce().toString());
    ArrayNode variables = root.putArray("variables");
    for (Variable variable : image.variables()) {
      ObjectNode node = variables.addObject();
      node.put("name", variable.name());
      node.put("immutable", variable.immutable());
      if (variable.hidden()) {
        node.put("value_hash", variable.valueHash());
        node.put(
            "ciphertext",
            HiddenValues.seal(
                parts.agentKey().publicKey(),
                parts.agentKey().address(),
                variable.name(),
                variable.value(),
                random));
      } else {
        node.put("value", variable.value());
      }
    }
    ArrayNode audit = root.putArray("audit");
    image.audit().forEach(entry -> audit.add(mapper.valueToTree(entry)));
    ObjectNode signers = root.putObject("signer_nonces");
    parts.signerNonces().image().entrySet().stream()
        .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(Address::checksummed)))
        .forEach(e -> signers.put(e.getKey().checksummed(), e.getValue().toString()));
    ObjectNode chains = root.putObject("chains");
    parts
        .chainNonces()
        .image()
        .forEach(
            (id, chain) -> {
              ObjectNode node = chains.putObject(Long.toString(id));
              node.put("next", chain.next().toString());
              chain.released().stream().sorted().forEach(n -> node.withArray("released").add(n));
              chain.unsettled().stream().sorted().forEach(n -> node.withArray("unsettled").add(n));
            });
    ArrayNode spendings = root.putArray("budget_spendings");
    for (BudgetLedger.Spending spending : parts.policy().ledger().image()) {
      spendings.addObject().put("at", spending.at()).put("wei", spending.wei().toString());
    }
    tls.ifPresent(
        identity -> {
          ObjectNode node = root.putObject("tls");
          byte[] privateKey = identity.privateKeyForSealing();
          node.put("private_key", Base64.getEncoder().encodeToString(privateKey));
          Arrays.fill(privateKey, (byte) 0);
          node.put("certificate", Base64.getEncoder().encodeToString(identity.certificateDer()));
        });
    try {
      return mapper.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("the agent state is not serializable");
    }
  }

  /** Restores {@code document} into the parts; refuses (changing nothing) when any piece is bad. */
  public void restore(byte[] document) throws StateRefused {
    AgentState.Image image;
    Map<Address, BigInteger> signers = new HashMap<>();
    Map<Long, NonceTracker.ChainImage> chains = new TreeMap<>();
    List<BudgetLedger.Spending> spendings = new ArrayList<>();
    try {
      JsonNode root = mapper.readTree(document);
      if (root == null || root.path("format").asInt() != FORMAT) {
        throw new StateRefused("the sealed state is not state format " + FORMAT);
      }
      List<Variable> variables = new ArrayList<>();
      for (JsonNode node : root.withArray("variables")) {
        variables.add(variable(node));
      }
      List<AuditEntry> audit = new ArrayList<>();
      for (JsonNode node : root.withArray("audit")) {
        audit.add(
            new AuditEntry(
                node.required("index").asLong(),
                node.required("prev").asText(),
                node.required("kind").asText(),
                node.required("at").asLong(),
                node.required("payload"),
                null));
      }
      image = new AgentState.Image(variables, count(root.required("operator_nonce")), audit);
      for (var signer : root.required("signer_nonces").properties()) {
        signers.put(Address.parse(signer.getKey()), count(signer.getValue()));
      }
      for (var chain : root.required("chains").properties()) {
        JsonNode node = chain.getValue();
        chains.put(
            Long.parseLong(chain.getKey()),
            new NonceTracker.ChainImage(
                count(node.required("next")),
                counts(node.path("released")),
                counts(node.path("unsettled"))));
      }
      // A document from before the rolling window has no spendings; the restore's rule counts
      // the budget as spent for a window anyway.
      for (JsonNode node : root.withArray("budget_spendings")) {
        spendings.add(
            new BudgetLedger.Spending(node.required("at").asLong(), count(node.required("wei"))));
      }
    } catch (IOException | RuntimeException e) {
      throw new StateRefused("the sealed state is malformed", e);
    }
    try {
      parts.state().restore(image);
    } catch (IllegalArgumentException e) {
      throw new StateRefused("the sealed state's audit log does not chain", e);
    }
    parts.signerNonces().restore(signers);
    parts.chainNonces().restore(chains);
    // Every restore may be of an older snapshot: the rule of DESIGN §9 "Rollback" starts now.
    Instant restoredAt = parts.policy().coolDown().restored();
    parts.policy().ledger().restore(spendings, restoredAt);
  }

  private Variable variable(JsonNode node) {
    String name = node.required("name").asText();
    boolean immutable = node.required("immutable").asBoolean();
    if (!node.has("ciphertext")) {
      return new Variable(name, node.required("value").asText(), null, false, immutable);
    }
    String plaintext =
        new HiddenValues(parts.agentKey())
            .open("sealed state", name, node.required("ciphertext").asText())
            .plaintext();
    return new Variable(name, plaintext, node.required("value_hash").asText(), true, immutable);
  }

  private static BigInteger count(JsonNode node) {
    BigInteger value = new BigInteger(node.asText());
    if (value.signum() < 0) {
      throw new IllegalArgumentException("a negative count");
    }
    return value;
  }

  private static Set<BigInteger> counts(JsonNode array) {
    Set<BigInteger> values = new TreeSet<>();
    array.forEach(node -> values.add(count(node)));
    return values;
  }

  /** The sealed state cannot be restored; the message is a sentence safe to show. */
  public static final class StateRefused extends Exception {
    private static final long serialVersionUID = 1L;

    StateRefused(String reason) {
      super(reason);
    }

    StateRefused(String reason, Throwable cause) {
      super(reason, cause);
    }
  }
}
