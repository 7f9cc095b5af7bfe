package dev.teeagent.transactions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeagent.crypto.Address;
import dev.teeagent.crypto.Keccak;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.testing.RandomCases;
import java.math.BigInteger;
import java.util.Random;
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

  @Test
  void signsTheSameBytesAsWeb3jsOwnSigner() {
    RandomCases.forEach(0x7e_5167L, 200, (random, index) -> signsLikeWeb3j(transaction(random)));
  }

  /** Either type, a well-known or any chain, any nonce, value and data, a plausible gas and fee. */
  private static UnsignedTransaction transaction(Random random) {
    int type = RandomCases.oneOf(random, 0, 2);
    long chainId =
        random.nextBoolean()
            ? RandomCases.oneOf(random, 1L, 10L, 137L, 31337L)
            : RandomCases.between(random, 1, 1L << 52);
    BigInteger nonce =
        RandomCases.between(
            random, BigInteger.ZERO, BigInteger.TWO.pow(64).subtract(BigInteger.TWO));
    byte[] to = RandomCases.bytes(random, 20, 20);
    BigInteger value =
        RandomCases.between(
            random, BigInteger.ZERO, BigInteger.TWO.pow(256).subtract(BigInteger.ONE));
    byte[] data = RandomCases.bytes(random, 0, 300);
    BigInteger gas =
        RandomCases.between(random, BigInteger.valueOf(21_000), BigInteger.valueOf(30_000_000));
    BigInteger fee = RandomCases.between(random, BigInteger.ONE, BigInteger.TEN.pow(12));
    return new UnsignedTransaction(
        type,
        chainId,
        nonce,
        Address.fromBytes(to),
        value,
        Numeric.toHexString(data),
        gas,
        type == 0 ? fee : null,
        type == 2 ? fee : null,
        type == 2 ? fee.shiftRight(1) : null);
  }

  private static void signsLikeWeb3j(UnsignedTransaction tx) {
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
