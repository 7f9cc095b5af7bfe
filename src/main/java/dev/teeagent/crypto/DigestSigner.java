package dev.teeagent.crypto;

/** Signs 32-byte digests with a key it holds and never reveals. */
@FunctionalInterface
interface DigestSigner {
  EthSignature sign(byte[] digest);
}
