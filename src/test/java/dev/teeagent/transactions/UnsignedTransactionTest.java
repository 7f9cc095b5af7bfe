package dev.teeagent.transactions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeagent.crypto.Address;
import dev.teeagent.crypto.Keccak;
import dev.teeagent.crypto.SigningKey;
import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

/**
 * The agent signs transactions with its own {@link SigningKey#signDigest} and web3j's encoding; the
 * bytes must equal what web3j's own signer produces for the same key (ethers is compared in {@link
 * EthersInteropIT}).
 */
class UnsignedTransactionTest {
  private static final String KEY =
      "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";
  private static final SigningKey SIGNER = SigningKey.fromPrivateKeyHex(KEY);
  private static final Credentials WEB3J = Credentials.create(KEY);

  @Provide
  Arbitrary<UnsignedTransaction> transactions() {
    Arbitrary<Integer> type = Arbitraries.of(0, 2);
    Arbitrary<Long> chainId =
        Arbitraries.oneOf(
            Arbitraries.of(1L, 10L, 137L, 31337L), Arbitraries.longs().between(1, 1L << 52));
    Arbitrary<BigInteger> nonce =
        Arbitraries.bigIntegers()
            .between(BigInteger.ZERO, BigInteger.TWO.pow(64).subtract(BigInteger.TWO));
    Arbitrary<byte[]> to = Arbitraries.bytes().array(byte[].class).ofSize(20);
    Arbitrary<BigInteger> value =
        Arbitraries.bigIntegers()
            .between(BigInteger.ZERO, BigInteger.TWO.pow(256).subtract(BigInteger.ONE));
    Arbitrary<byte[]> data = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    Arbitrary<BigInteger> gas =
        Arbitraries.bigIntegers()
            .between(BigInteger.valueOf(21_000), BigInteger.valueOf(30_000_000));
    Arbitrary<BigInteger> fee =
        Arbitraries.bigIntegers().between(BigInteger.ONE, BigInteger.TEN.pow(12));
    return Combinators.combine(type, chainId, nonce, to, value, data, gas, fee)
        .as(
            (t, c, n, address, v, d, g, f) ->
                new UnsignedTransaction(
                    t,
                    c,
                    n,
                    Address.fromBytes(address),
                    v,
                    Numeric.toHexString(d),
                    g,
                    t == 0 ? f : null,
                    t == 2 ? f : null,
                    t == 2 ? f.shiftRight(1) : null));
  }

  @Property(tries = 200)
  void signsTheSameBytesAsWeb3jsOwnSigner(@ForAll("transactions") UnsignedTransaction tx) {
    RawTransaction raw =
        tx.type() == 0
            ? RawTransaction.createTransaction(
                tx.nonce(), tx.gasPrice(), tx.gas(), tx.to().checksummed(), tx.value(), tx.data())
            : RawTransaction.createTransaction(
                tx.chainId(),
                tx.nonce(),
                tx.gas(),
                tx.to().checksummed(),
                tx.value(),
                tx.data(),
                tx.maxPriorityFeePerGas(),
                tx.maxFeePerGas());
    String expected = Numeric.toHexString(TransactionEncoder.signMessage(raw, tx.chainId(), WEB3J));

    SignedTransaction signed = tx.sign(SIGNER);

    assertThat(signed.raw()).isEqualTo(expected);
    assertThat(signed.hash()).isEqualTo(Keccak.hashHex(Numeric.hexStringToByteArray(expected)));
    assertThat(signed.raw()).startsWith(tx.type() == 2 ? "0x02" : "0x");
  }

  @Test
  void itsMaximumFeeIsTheGasLimitTimesTheFeeCapOfItsType() {
    UnsignedTransaction legacy = transfer(0, BigInteger.valueOf(7), null, null);
    UnsignedTransaction dynamic = transfer(2, null, BigInteger.valueOf(9), BigInteger.ONE);
    assertThat(legacy.maxFeeWei()).isEqualTo(21_000 * 7);
    assertThat(dynamic.maxFeeWei()).isEqualTo(21_000 * 9);
    assertThat(dynamic.maxCostWei()).isEqualTo(21_000 * 9 + 5);
  }

  @Test
  void neverBuildsAnotherTypeOrMixedFees() {
    assertThatThrownBy(() -> transfer(1, BigInteger.ONE, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> transfer(0, BigInteger.ONE, BigInteger.ONE, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> transfer(2, BigInteger.ONE, BigInteger.ONE, BigInteger.ONE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> transfer(0, BigInteger.ONE, null, null).sign(SIGNER))
        .isInstanceOf(IllegalStateException.class);
  }

  private static UnsignedTransaction transfer(
      int type, BigInteger gasPrice, BigInteger maxFee, BigInteger priorityFee) {
    return new UnsignedTransaction(
        type,
        1,
        null,
        SIGNER.address(),
        BigInteger.valueOf(5),
        "0x",
        BigInteger.valueOf(21_000),
        gasPrice,
        maxFee,
        priorityFee);
  }
}
