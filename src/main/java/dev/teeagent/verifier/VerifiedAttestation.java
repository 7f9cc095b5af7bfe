package dev.teeagent.verifier;

import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * A document whose signature and certificate chain verified.
 *
 * @param document the payload's fields
 * @param signer the leaf certificate that signed it
 * @param chainValidAt the time at which the chain was found valid
 * @param root the root the chain leads to
 */
public record VerifiedAttestation(
    AttestationDocument document, X509Certificate signer, Instant chainValidAt, TrustedRoot root) {}
