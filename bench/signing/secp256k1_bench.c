/* Baseline for the agent's signer: libsecp256k1 recoverable ECDSA signatures per second on one
 * core, over a fresh 32-byte digest each time (the agent signs keccak digests the same way). */
#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  double seconds = argc > 1 ? atof(argv[1]) : 5.0;
  secp256k1_context *ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
  unsigned char key[32], digest[32], out[65];
  memset(key, 0x11, 32);
  memset(digest, 0, 32);
  secp256k1_ecdsa_recoverable_signature sig;
  int recid;
  unsigned long count = 0;
  double start = now(), end = start + seconds;
  while (now() < end) {
    for (int i = 0; i < 1000; i++) {
      memcpy(digest, &count, sizeof count);
      if (!secp256k1_ecdsa_sign_recoverable(ctx, &sig, digest, key, NULL, NULL)) return 1;
      secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx, out, &recid, &sig);
      count++;
    }
  }
  printf("%.0f\n", count / (now() - start));
  secp256k1_context_destroy(ctx);
  return 0;
}
