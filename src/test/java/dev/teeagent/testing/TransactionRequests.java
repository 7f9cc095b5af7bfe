package dev.teeagent.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.crypto.Address;
import dev.teeagent.crypto.Eip712;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.transactions.SignRequest;
import java.math.BigInteger;

/**
 * Builds a {@code POST /sign-transaction} body for a {@link TestAgent} and an {@link Anvil} chain,
 * optionally with an authorization signed in Java (the interop tests sign with ethers instead):
 *
 * <pre>
 *   TransactionRequests.to(agent, anvil).transfer(recipient, 3).operator().sign();
 * </pre>
 *
 * The authorization covers the body as it is when {@link #body()} is called; {@link #tamper} edits
 * the body afterwards, for altered-request tests.
 */
public final class TransactionRequests {
  /** A generous default fee cap for authorizations: 1 ETH. */
  public static final BigInteger DEFAULT_MAX_FEE_WEI = BigInteger.TEN.pow(18);

  private static final ObjectMapper MAPPER = JsonMappers.strict();

  private final TestAgent agent;
  private final ObjectNode body = MAPPER.createObjectNode();
  private final ObjectNode transaction = body.putObject("transaction");
  private SigningKey authorizer;
  private BigInteger nonce;
  private long deadline = System.currentTimeMillis() / 1000 + 600;
  private BigInteger maxFeeWei = DEFAULT_MAX_FEE_WEI;
  private Eip712.Domain domain;
  private java.util.function.Consumer<ObjectNode> tamper = b -> {};
  private BigInteger fillNonce;
  private boolean omitChainId;

  private TransactionRequests(TestAgent agent, String rpcUrl, long chainId) {
    this.agent = agent;
    body.put("rpc_url", rpcUrl);
    body.put("chain_id", chainId);
  }

  public static TransactionRequests to(TestAgent agent, Anvil anvil) {
    return new TransactionRequests(agent, anvil.rpcUrl(), Anvil.CHAIN_ID);
  }

  public static TransactionRequests to(TestAgent agent, String rpcUrl, long chainId) {
    return new TransactionRequests(agent, rpcUrl, chainId);
  }

  /**
   * An ether transfer of {@code wei} to {@code recipient}, data "0x" (the seed's first example).
   */
  public TransactionRequests transfer(String recipient, long wei) {
    transaction.put("to", recipient);
    transaction.put("value", wei);
    transaction.put("data", "0x");
    return this;
  }

  /** An ERC-20 {@code transfer(recipient, amount)} through {@code token} (the seed's second). */
  public TransactionRequests tokenTransfer(String token, String recipient, BigInteger amount) {
    transaction.put("to", token);
    transaction.put("value", 0);
    transaction.put("data", erc20("a9059cbb", recipient, amount));
    return this;
  }

  /** ERC-20 calldata: a 4-byte selector and two words (address, uint256). */
  public static String erc20(String selector, String address, BigInteger amount) {
    return "0x"
        + selector
        + "0".repeat(24)
        + address.substring(2).toLowerCase(java.util.Locale.ROOT)
        + String.format("%64s", amount.toString(16)).replace(' ', '0');
  }

  /** Any member of {@code transaction}, as a JSON value (number, string, null…). */
  public TransactionRequests field(String name, Object value) {
    transaction.set(name, MAPPER.valueToTree(value));
    return this;
  }

  public TransactionRequests type(int type) {
    return field("type", type);
  }

  /** Fixed gas and legacy gas price, so that the fee is known in advance. */
  public TransactionRequests legacyFees(long gas, long gasPriceWei) {
    return field("type", 0).field("gas", gas).field("gas_price", Long.toString(gasPriceWei));
  }

  public TransactionRequests member(String name, Object value) {
    body.set(name, MAPPER.valueToTree(value));
    return this;
  }

  public TransactionRequests broadcast(boolean broadcast) {
    return member("broadcast", broadcast);
  }

  /** Authorized by the development operator with the agent's next {@code operator_nonce}. */
  public TransactionRequests operator() {
    return signer(OperatorCommands.DEV_OPERATOR);
  }

  /**
   * Authorized by {@code key}: with the operator nonce for the operator, else the key's entry in
   * {@code signer_nonces} (0 when it has none).
   */
  public TransactionRequests signer(SigningKey key) {
    this.authorizer = key;
    return this;
  }

  public TransactionRequests nonce(long authorizationNonce) {
    this.nonce = BigInteger.valueOf(authorizationNonce);
    return this;
  }

  public TransactionRequests deadline(long unixSeconds) {
    this.deadline = unixSeconds;
    return this;
  }

  public TransactionRequests maxFeeWei(BigInteger cap) {
    this.maxFeeWei = cap;
    return this;
  }

  public TransactionRequests domain(Eip712.Domain other) {
    this.domain = other;
    return this;
  }

  /** The operator's fill of the agent's nonce {@code nonce}: signed as a FillRequest. */
  public TransactionRequests fill(long nonce) {
    this.fillNonce = BigInteger.valueOf(nonce);
    return member("fill_nonce", Long.toString(nonce));
  }

  /** Leaves chain_id out of the body; an authorization still signs the chain given at first. */
  public TransactionRequests omitChainId() {
    this.omitChainId = true;
    return this;
  }

  /** Changes the body after the authorization was signed. */
  public TransactionRequests tamper(java.util.function.Consumer<ObjectNode> change) {
    this.tamper = change;
    return this;
  }

  /** The SignRequest this body's authorization signs (for the interop tests). */
  public SignRequest signRequest(BigInteger authorizationNonce) {
    JsonNode tx = body.get("transaction");
    return new SignRequest(
        Address.parse(tx.get("to").asText()),
        new BigInteger(tx.path("value").asText("0")),
        tx.path("data").asText("0x"),
        new BigInteger(body.get("chain_id").asText()),
        maxFeeWei,
        body.path("broadcast").asBoolean(true),
        authorizationNonce,
        BigInteger.valueOf(deadline));
  }

  public String body() {
    ObjectNode out = body.deepCopy();
    if (authorizer != null) {
      JsonNode config = agent.get("/api/v1/config").json();
      Eip712.Domain signedDomain =
          domain != null
              ? domain
              : new Eip712.Domain(
                  config.get("tee_name").asText(),
                  "1",
                  Address.parse(config.get("address").asText()));
      BigInteger used = nonce != null ? nonce : nextNonce(config, authorizer.address());
      SignRequest signed = signRequest(used);
      byte[] digest =
          fillNonce == null
              ? signed.digest(signedDomain)
              : signed.fillDigest(signedDomain, fillNonce);
      String signature = authorizer.signDigest(digest).toHex();
      out.putObject("authorization")
          .put("nonce", used.toString())
          .put("deadline", Long.toString(deadline))
          .put("max_fee_wei", maxFeeWei.toString())
          .put("signature", signature);
    }
    if (omitChainId) {
      out.remove("chain_id");
    }
    tamper.accept(out);
    try {
      return MAPPER.writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  private static BigInteger nextNonce(JsonNode config, Address signer) {
    if (signer.equals(TestAgent.OPERATOR)) {
      return new BigInteger(config.get("operator_nonce").asText());
    }
    JsonNode listed = config.path("signer_nonces").get(signer.checksummed());
    return listed == null ? BigInteger.ZERO : new BigInteger(listed.asText());
  }

  /** Sends the request; the answer may be a refusal. */
  public TestAgent.Reply send() {
    return agent.post("/api/v1/sign-transaction", body());
  }

  /** Sends the request and fails unless it was signed; returns the signed answer. */
  public JsonNode sign() {
    TestAgent.Reply reply = send();
    if (reply.status() != 200) {
      throw new AssertionError("sign-transaction refused: " + reply.text());
    }
    if (!reply.verifiedSigner().checksummed().equals(agent.address())) {
      throw new AssertionError("answer not signed by the agent");
    }
    return reply.json();
  }
}
