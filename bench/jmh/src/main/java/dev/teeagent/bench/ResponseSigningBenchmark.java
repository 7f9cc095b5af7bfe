package dev.teeagent.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.crypto.NativeSecp256k1;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.http.RequestEcho;
import dev.teeagent.http.ResponseSigner;
import dev.teeagent.json.JsonMappers;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;

/**
 * Signatures per second on one thread: the agent's signer against stock web3j (which finds the
 * recovery id by trial recovery), on the same message; and the whole envelope (JCS + sign).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ResponseSigningBenchmark {
  private static final String KEY =
      "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

  private SigningKey agentKey;
  private SigningKey nativeKey;
  private ECKeyPair web3jKey;
  private ResponseSigner signer;
  private ObjectMapper mapper;
  private byte[] message;
  private int counter;

  @Setup
  public void setUp() {
    agentKey = SigningKey.fromPrivateKeyHex(KEY);
    nativeKey =
        SigningKey.generate(
            new SecureRandom(),
            java.util.Optional.of(
                NativeSecp256k1.load(new SecureRandom())
                    .orElseThrow(() -> new IllegalStateException("libsecp256k1 missing"))));
    web3jKey = ECKeyPair.create(new BigInteger(KEY.substring(2), 16));
    mapper = JsonMappers.strict();
    signer = new ResponseSigner("bench", nativeKey, Clock.systemUTC());
    message = "{\"a\":1,\"config\":\"a typical canonical body of a few hundred bytes\"}".repeat(8)
        .getBytes(StandardCharsets.UTF_8);
  }

  private byte[] nextMessage() {
    // A different message each call, so no layer can cache a signature.
    message[0] = (byte) counter++;
    return message;
  }

  @Benchmark
  public Object agentSignerNative() {
    return nativeKey.signPersonalMessage(nextMessage());
  }

  @Benchmark
  public Object agentSignerPureJava() {
    return agentKey.signPersonalMessage(nextMessage());
  }

  @Benchmark
  public Object web3jSignPrefixedMessage() {
    return Sign.signPrefixedMessage(nextMessage(), web3jKey);
  }

  @Benchmark
  public Object signedEnvelope() {
    ObjectNode payload = mapper.createObjectNode();
    payload.put("version", "0.1.0").put("counter", counter++).put("address", "0xabc");
    payload.putObject("eip712_domain").put("name", "bench").put("version", "1");
    return signer.sign(200, payload, new RequestEcho("GET", "/api/v1/config", null, null), null);
  }
}
