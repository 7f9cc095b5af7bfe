package dev.teeagent.transactions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.crypto.Address;
import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.json.UntrustedText;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.math.BigInteger;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.net.ssl.SSLException;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.web3j.utils.Numeric;

/**
 * The JSON-RPC calls the agent makes to one node, as JSON-RPC 2.0 over the hardened client. Every
 * failure becomes a client error with a code — unreachable or TLS failure (502 {@code
 * rpc_unreachable}), no answer in time (504 {@code rpc_timeout}), an answer that is not the
 * JSON-RPC the call expects (502 {@code rpc_bad_response}), the node's own error (502 {@code
 * rpc_error}, its message quoted, cut and made safe by {@link UntrustedText}), or insufficient
 * funds (409) — and never a 500. Exception text of the HTTP or JSON layers is not passed on: it may
 * quote the node's answer at length.
 */
final class ChainRpc {
  static final int MAX_QUOTED_MESSAGE = 300;
  private static final MediaType JSON = MediaType.get("application/json");
  private static final ObjectMapper MAPPER = JsonMappers.strict();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String url;
  private final OkHttpClient client;
  private final AtomicLong ids = new AtomicLong();

  ChainRpc(RpcUrl url, OkHttpClient client) {
    this.url = url.text();
    this.client = client;
  }

  BigInteger chainId() {
    return call("eth_chainId", params(), ChainRpc::quantity);
  }

  /** The count of the agent's transactions the node knows, mempool included. */
  BigInteger pendingTransactionCount(Address address) {
    return call(
        "eth_getTransactionCount",
        params().add(address.checksummed()).add("pending"),
        ChainRpc::quantity);
  }

  BigInteger gasPrice() {
    return call("eth_gasPrice", params(), ChainRpc::quantity);
  }

  BigInteger maxPriorityFeePerGas() {
    return call("eth_maxPriorityFeePerGas", params(), ChainRpc::quantity);
  }

  /** What the latest block says about the fees and gas a transaction needs to be mined. */
  record Head(Optional<BigInteger> baseFee, BigInteger gasLimit) {}

  /** The latest block's base fee (empty on a chain without EIP-1559) and gas limit. */
  Head latestBlock() {
    return call(
        "eth_getBlockByNumber",
        params().add("latest").add(false),
        block -> {
          if (!block.isObject()) {
            throw new IllegalStateException("no latest block");
          }
          JsonNode baseFee = block.path("baseFeePerGas");
          return new Head(
              baseFee.isMissingNode() || baseFee.isNull()
                  ? Optional.empty()
                  : Optional.of(quantity(baseFee)),
              quantity(block.path("gasLimit")));
        });
  }

  /** The count of the agent's transactions in mined blocks (the mempool left out). */
  BigInteger minedTransactionCount(Address address) {
    return call(
        "eth_getTransactionCount",
        params().add(address.checksummed()).add("latest"),
        ChainRpc::quantity);
  }

  BigInteger estimateGas(Address from, Address to, BigInteger value, String data) {
    ObjectNode call =
        NODES.objectNode().put("from", from.checksummed()).put("to", to.checksummed());
    if (value != null) {
      call.put("value", Numeric.encodeQuantity(value));
    }
    if (data != null) {
      call.put("data", data);
    }
    return call("eth_estimateGas", params().add(call), ChainRpc::quantity);
  }

  BigInteger pendingBalance(Address address) {
    return call(
        "eth_getBalance", params().add(address.checksummed()).add("pending"), ChainRpc::quantity);
  }

  /** Broadcasts a signed transaction; returns the hash the node reports. */
  String sendRawTransaction(String signedHex) {
    return call(
        "eth_sendRawTransaction",
        params().add(signedHex),
        result -> {
          String hash = result.textValue();
          if (hash == null || !hash.matches("0x[0-9a-fA-F]{64}")) {
            throw new IllegalStateException("not a transaction hash");
          }
          return hash.toLowerCase(Locale.ROOT);
        });
  }

  private static ArrayNode params() {
    return NODES.arrayNode();
  }

  /** A JSON-RPC quantity: 0x-prefixed hex without leading zeros. */
  private static BigInteger quantity(JsonNode value) {
    if (!value.isTextual()) {
      throw new IllegalStateException("not a quantity");
    }
    return Numeric.decodeQuantity(value.textValue());
  }

  private <T> T call(String method, ArrayNode params, Function<JsonNode, T> result) {
    JsonNode response;
    try {
      response = send(method, params);
    } catch (IOException e) {
      throw failure(method, e);
    }
    if (response == null) {
      throw new AgentException(ErrorCode.RPC_BAD_RESPONSE, "the RPC answered " + method + " empty");
    }
    if (!response.isObject()) {
      throw new AgentException(
          ErrorCode.RPC_BAD_RESPONSE, "the RPC's answer to " + method + " was not JSON-RPC");
    }
    JsonNode error = response.get("error");
    if (error != null && !error.isNull()) {
      if (!error.isObject() || !error.path("code").canConvertToInt()) {
        throw new AgentException(
            ErrorCode.RPC_BAD_RESPONSE, "the RPC's answer to " + method + " was not JSON-RPC");
      }
      throw nodeError(method, error.get("code").asInt(), error.path("message").textValue());
    }
    try {
      JsonNode value = response.get("result");
      T parsed = value == null || value.isNull() ? null : result.apply(value);
      if (parsed == null) {
        throw new IllegalStateException("no result");
      }
      return parsed;
    } catch (RuntimeException e) {
      throw new AgentException(
          ErrorCode.RPC_BAD_RESPONSE,
          "the RPC's answer to " + method + " does not hold the expected result");
    }
  }

  /** One POST; null for an empty answer. The client refuses non-2xx and oversized answers. */
  private JsonNode send(String method, ArrayNode params) throws IOException {
    ObjectNode request =
        NODES
            .objectNode()
            .put("jsonrpc", "2.0")
            .put("method", method)
            .<ObjectNode>set("params", params)
            .put("id", ids.incrementAndGet());
    Request post =
        new Request.Builder()
            .url(url)
            .post(RequestBody.create(MAPPER.writeValueAsBytes(request), JSON))
            .build();
    try (Response response = client.newCall(post).execute()) {
      ResponseBody body = response.body();
      byte[] bytes = body.bytes();
      return bytes.length == 0 ? null : MAPPER.readTree(bytes);
    }
  }

  private AgentException failure(String method, IOException e) {
    return switch (e) {
      case RpcHttpClient.HttpStatusException status ->
          new AgentException(
              ErrorCode.RPC_BAD_RESPONSE,
              "the RPC answered "
                  + method
                  + " with HTTP "
                  + status.status()
                  + (status.status() / 100 == 3 ? " (redirects are not followed)" : ""));
      case RpcHttpClient.TooLargeException tooLarge ->
          new AgentException(
              ErrorCode.RPC_BAD_RESPONSE,
              "the RPC's answer to " + method + " is larger than the agent accepts");
      case InterruptedIOException timeout ->
          new AgentException(
              ErrorCode.RPC_TIMEOUT, "the RPC did not answer " + method + " in time");
      case JsonProcessingException notJson ->
          new AgentException(
              ErrorCode.RPC_BAD_RESPONSE, "the RPC's answer to " + method + " is not JSON-RPC");
      case SSLException tls ->
          new AgentException(
              ErrorCode.RPC_UNREACHABLE,
              "TLS with the RPC failed (its certificate must verify against the agent's CAs)");
      case ConnectException refused ->
          new AgentException(ErrorCode.RPC_UNREACHABLE, "cannot connect to the RPC");
      case UnknownHostException unknown ->
          new AgentException(ErrorCode.RPC_UNREACHABLE, "the RPC's host name does not resolve");
      case NoRouteToHostException noRoute ->
          new AgentException(ErrorCode.RPC_UNREACHABLE, "no route to the RPC's host");
      default ->
          new AgentException(
              ErrorCode.RPC_BAD_RESPONSE, "the connection to the RPC failed during " + method);
    };
  }

  private static AgentException nodeError(String method, int code, String nodeMessage) {
    String message = UntrustedText.quote(nodeMessage, MAX_QUOTED_MESSAGE);
    if (message.toLowerCase(Locale.ROOT).contains("insufficient funds")) {
      return new AgentException(
          ErrorCode.INSUFFICIENT_FUNDS,
          "the agent's balance does not cover value + gas × fee (the node says: " + message + ")");
    }
    return new AgentException(
        ErrorCode.RPC_ERROR,
        "the RPC refused " + method + " (error " + code + ": " + message + ")");
  }
}
