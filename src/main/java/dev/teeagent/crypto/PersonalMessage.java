package dev.teeagent.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.web3j.crypto.Hash;

/** EIP-191 version 0x45 ("personal_sign") message hashing and signer recovery. */
public final class PersonalMessage {
  private PersonalMessage() {}

  /** keccak256("\x19Ethereum Signed Message:\n" + len(message) + message). */
  public static byte[] digest(byte[] message) {
    byte[] prefix =
        ("\u0019Ethereum Signed Message:\n" + message.length).getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[prefix.length + message.length];
    System.arraycopy(prefix, 0, all, 0, prefix.length);
    System.arraycopy(message, 0, all, prefix.length, message.length);
    return Hash.sha3(all);
  }

  public static Optional<Address> recoverSigner(byte[] message, EthSignature signature) {
    return Secp256k1.recoverAddress(digest(message), signature);
  }
}
