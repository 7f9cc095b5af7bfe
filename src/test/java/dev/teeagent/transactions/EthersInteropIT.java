package dev.teeagent.transactions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.crypto.Address;
import dev.teeagent.crypto.Eip712;
import dev.teeagent.crypto.EthSignature;
import dev.teeagent.crypto.Secp256k1;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.testing.NodeScript;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.web3j.utils.Numeric;

/**
 * Byte-equality with ethers v6, code we did not write: the same key and fields give the same signed
 * transaction bytes (legacy EIP-155 and EIP-1559, across chain ids and edge values), and the same
 * {@code SignRequest} and {@code FillRequest} digests, whose ethers signatures recover to the
 * signer here.
 */
class EthersInteropIT {
  private static final ObjectMapper MAPPER = JsonMappers.strict();
  private static final String KEY =
      "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
  private static final SigningKey SIGNER = SigningKey.fromPrivateKeyHex(KEY);

  /** The seed's ERC-20 transfer calldata. */
  private static final String SEED_ERC20_DATA =
      "0xa9059cbb00000000000000000000000000693cbe3f2581df512635823f46f0d593d96dba"
          + "0000000000000000000000000000000000000000000000000000048c27395000";

  @Test
  void signedTransactionsAreByteIdenticalToEthers() throws Exception {
    Random random = new Random(7047);
    long[] chainIds = {1, 137, 8453, 84532, 31337, 11155111, 4_503_599_627_370_476L};
    List<UnsignedTransaction> transactions = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      long chainId = chainIds[i % chainIds.length];
      boolean legacy = i % 2 == 0;
      byte[] to = new byte[20];
      random.nextBytes(to);
      byte[] data = new byte[i % 5 == 0 ? 0 : random.nextInt(100)];
      random.nextBytes(data);
      BigInteger value =
          i % 7 == 0 ? BigInteger.ZERO : new BigInteger(i % 3 == 0 ? 255 : 64, random);
      BigInteger gas = BigInteger.valueOf(21_000 + random.nextInt(1_000_000));
      BigInteger fee = new BigInteger(40, random).add(BigInteger.ONE);
      transactions.add(
          new UnsignedTransaction(
              legacy ? 0 : 2,
              chainId,
              BigInteger.valueOf(i == 1 ? 0 : random.nextInt(100_000)),
              Address.fromBytes(to),
              value,
              Numeric.toHexString(data),
              gas,
              legacy ? fee : null,
              legacy ? null : fee,
              legacy ? null : fee.shiftRight(3)));
    }
    ObjectNode input = MAPPER.createObjectNode().put("key", KEY);
    ArrayNode list = input.putArray("transactions");
    for (UnsignedTransaction tx : transactions) {
      ObjectNode node =
          list.addObject()
              .put("type", tx.type())
              .put("chainId", Long.toString(tx.chainId()))
              .put("nonce", tx.nonce().longValueExact())
              .put("to", tx.to().checksummed())
              .put("value", tx.value().toString())
              .put("data", tx.data())
              .put("gasLimit", tx.gas().toString());
      if (tx.type() == 0) {
        node.put("gasPrice", tx.gasPrice().toString());
      } else {
        node.put("maxFeePerGas", tx.maxFeePerGas().toString());
        node.put("maxPriorityFeePerGas", tx.maxPriorityFeePerGas().toString());
      }
    }
    JsonNode ethers =
        MAPPER.readTree(
            NodeScript.run("ethers-transactions.mjs", MAPPER.writeValueAsString(input), "sign"));

    for (int i = 0; i < transactions.size(); i++) {
      assertThat(transactions.get(i).sign(SIGNER).raw())
          .as("transaction %d (%s)", i, transactions.get(i))
          .isEqualTo(ethers.get(i).asText());
    }
  }

  @Test
  void signRequestDigestMatchesEthersAndItsSignatureRecoversHere() throws Exception {
    Address agent = Address.parse("0x09271A218f8Ee8c676dB3b26C43e171C4c7eFEf1");
    Eip712.Domain domain = new Eip712.Domain("test-agent", "1", agent);
    SignRequest request =
        new SignRequest(
            Address.parse("0x1c23A3912247f104D707dfEf41F4B7842B241d4B"),
            BigInteger.ZERO,
            SEED_ERC20_DATA,
            BigInteger.valueOf(84532),
            new BigInteger("123456789012345678901234567890"),
            true,
            BigInteger.valueOf(42),
            BigInteger.valueOf(1_900_000_000L));
    ObjectNode input = MAPPER.createObjectNode().put("key", KEY);
    input
        .putObject("domain")
        .put("name", domain.name())
        .put("version", domain.version())
        .put("verifyingContract", agent.checksummed());
    input
        .putObject("request")
        .put("to", request.to().checksummed())
        .put("value", request.value().toString())
        .put("data", request.data())
        .put("chainId", request.chainId().toString())
        .put("maxFeeWei", request.maxFeeWei().toString())
        .put("broadcast", request.broadcast())
        .put("nonce", request.nonce().toString())
        .put("deadline", request.deadline().toString());
    JsonNode ethers =
        MAPPER.readTree(
            NodeScript.run(
                "ethers-transactions.mjs", MAPPER.writeValueAsString(input), "authorize"));

    byte[] digest = request.digest(domain);
    assertThat(Numeric.toHexString(digest)).isEqualTo(ethers.get("digest").asText());
    EthSignature signature = EthSignature.parse(ethers.get("signature").asText());
    assertThat(Secp256k1.recoverAddress(digest, signature)).contains(SIGNER.address());
    assertThat(SIGNER.signDigest(digest).toHex()).isEqualTo(ethers.get("signature").asText());
  }

  @Test
  void fillRequestDigestMatchesEthersSigningTheReadmesType() throws Exception {
    Address agent = Address.parse("0x09271A218f8Ee8c676dB3b26C43e171C4c7eFEf1");
    Eip712.Domain domain = new Eip712.Domain("test-agent", "1", agent);
    SignRequest request =
        new SignRequest(
            agent,
            BigInteger.ZERO,
            "0x",
            BigInteger.valueOf(31337),
            BigInteger.TEN.pow(15),
            true,
            BigInteger.valueOf(7),
            BigInteger.valueOf(1_900_000_000L));
    BigInteger fillNonce = BigInteger.valueOf(3);
    ObjectNode input = MAPPER.createObjectNode().put("key", KEY);
    input
        .putObject("domain")
        .put("name", domain.name())
        .put("version", domain.version())
        .put("verifyingContract", agent.checksummed());
    input
        .putObject("request")
        .put("to", request.to().checksummed())
        .put("value", "0")
        .put("data", "0x")
        .put("chainId", "31337")
        .put("maxFeeWei", request.maxFeeWei().toString())
        .put("broadcast", true)
        .put("fillNonce", fillNonce.toString())
        .put("nonce", "7")
        .put("deadline", "1900000000");
    JsonNode ethers =
        MAPPER.readTree(
            NodeScript.run("ethers-transactions.mjs", MAPPER.writeValueAsString(input), "fill"));

    byte[] digest = request.fillDigest(domain, fillNonce);
    assertThat(Numeric.toHexString(digest)).isEqualTo(ethers.get("digest").asText());
    assertThat(digest).isNotEqualTo(request.digest(domain));
    EthSignature signature = EthSignature.parse(ethers.get("signature").asText());
    assertThat(Secp256k1.recoverAddress(digest, signature)).contains(SIGNER.address());
  }
}
