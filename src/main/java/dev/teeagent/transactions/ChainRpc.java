package dev.teeagent.transactions;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.teeagent.crypto.Address;
import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.math.BigInteger;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import javax.net.ssl.SSLException;
import okhttp3.OkHttpClient;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.http.HttpService;

/**
 * The JSON-RPC calls the agent makes to one node, through web3j. Every failure becomes a client
 * error with a code — unreachable or TLS failure (502 {@code rpc_unreachable}), no answer in time
 * (504 {@code rpc_timeout}), an answer that is not the JSON-RPC the call expects (502 {@code
 * rpc_bad_response}), the node's own error (502 {@code rpc_error}, its message quoted, cut and
 * reduced to printable ASCII), or insufficient funds (409) — and never a 500. Exception text of the
 * HTTP or JSON layers is not passed on: it may quote the node's answer at length.
 */
final class ChainRpc {
  static final int MAX_QUOTED_MESSAGE = 300;

  private final Web3j web3j;

  ChainRpc(RpcUrl url, OkHttpClient client) {
    this.web3j = Web3j.build(new HttpService(url.text(), client));
  }

  BigInteger chainId() {
    return call("eth_chainId", web3j.ethChainId(), r -> r.getChainId());
  }

  /** The count of the agent's transactions the node knows, mempool included. */
  BigInteger pendingTransactionCount(Address address) {
    return call(
        "eth_getTransactionCount",
        web3j.ethGetTransactionCount(address.checksummed(), DefaultBlockParameterName.PENDING),
        r -> r.getTransactionCount());
  }

  BigInteger gasPrice() {
    return call("eth_gasPrice", web3j.ethGasPrice(), r -> r.getGasPrice());
  }

  BigInteger maxPriorityFeePerGas() {
    return call(
        "eth_maxPriorityFeePerGas",
        web3j.ethMaxPriorityFeePerGas(),
        r -> r.getMaxPriorityFeePerGas());
  }

  /** What the latest block says about the fees and gas a transaction needs to be mined. */
  record Head(Optional<BigInteger> baseFee, BigInteger gasLimit) {}

  /** The latest block's base fee (empty on a chain without EIP-1559) and gas limit. */
  Head latestBlock() {
    return call(
        "eth_getBlockByNumber",
        web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false),
        r -> {
          var block = r.getBlock();
          if (block == null) {
            throw new IllegalStateException("no latest block");
          }
          return new Head(
              Optional.ofNullable(block.getBaseFeePerGasRaw()).map(raw -> block.getBaseFeePerGas()),
              block.getGasLimit());
        });
  }

  /** The count of the agent's transactions in mined blocks (the mempool left out). */
  BigInteger minedTransactionCount(Address address) {
    return call(
        "eth_getTransactionCount",
        web3j.ethGetTransactionCount(address.checksummed(), DefaultBlockParameterName.LATEST),
        r -> r.getTransactionCount());
  }

  BigInteger estimateGas(Address from, Address to, BigInteger value, String data) {
    Transaction call =
        Transaction.createFunctionCallTransaction(
            from.checksummed(), null, null, null, to.checksummed(), value, data);
    return call("eth_estimateGas", web3j.ethEstimateGas(call), r -> r.getAmountUsed());
  }

  BigInteger pendingBalance(Address address) {
    return call(
        "eth_getBalance",
        web3j.ethGetBalance(address.checksummed(), DefaultBlockParameterName.PENDING),
        r -> r.getBalance());
  }

  /** Broadcasts a signed transaction; returns the hash the node reports. */
  String sendRawTransaction(String signedHex) {
    return call(
        "eth_sendRawTransaction",
        web3j.ethSendRawTransaction(signedHex),
        r -> {
          String hash = r.getTransactionHash();
          if (hash == null || !hash.matches("0x[0-9a-fA-F]{64}")) {
            throw new IllegalStateException("not a transaction hash");
          }
          return hash.toLowerCase(Locale.ROOT);
        });
  }

  private <R extends Response<?>, T> T call(
      String method, Request<?, R> request, Function<R, T> result) {
    R response;
    try {
      response = request.send();
    } catch (IOException e) {
      throw failure(method, e);
    } catch (RuntimeException e) {
      // web3j turns some transport problems into unchecked exceptions of its own.
      throw new AgentException(
          ErrorCode.RPC_BAD_RESPONSE, "the RPC's answer to " + method + " was not JSON-RPC");
    }
    if (response == null) {
      throw new AgentException(ErrorCode.RPC_BAD_RESPONSE, "the RPC answered " + method + " empty");
    }
    if (response.hasError()) {
      throw nodeError(method, response.getError());
    }
    try {
      T value = result.apply(response);
      if (value == null) {
        throw new IllegalStateException("no result");
      }
      return value;
    } catch (RuntimeException e) {
      throw new AgentException(
          ErrorCode.RPC_BAD_RESPONSE,
          "the RPC's answer to " + method + " does not hold the expected result");
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

  private static AgentException nodeError(String method, Response.Error error) {
    String message = quoted(error.getMessage());
    if (message.toLowerCase(Locale.ROOT).contains("insufficient funds")) {
      return new AgentException(
          ErrorCode.INSUFFICIENT_FUNDS,
          "the agent's balance does not cover value + gas × fee (the node says: " + message + ")");
    }
    return new AgentException(
        ErrorCode.RPC_ERROR,
        "the RPC refused " + method + " (error " + error.getCode() + ": " + message + ")");
  }

  /** An upstream message made safe to quote: printable ASCII only, cut to a bounded length. */
  static String quoted(String message) {
    if (message == null) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < message.length() && out.length() < MAX_QUOTED_MESSAGE; i++) {
      char c = message.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    if (message.length() > MAX_QUOTED_MESSAGE) {
      out.append('…');
    }
    return out.toString();
  }
}
