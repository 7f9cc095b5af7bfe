package dev.teeagent.audit;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Entry {@code index} of the audit log, exactly the members DESIGN §5 hashes: {@code prev} is the
 * hash of entry {@code index-1} (32 zero bytes for the first), {@code kind} is {@code commands} or
 * {@code transaction}, {@code at} unix milliseconds. {@code hash} = keccak256(JCS(entry)) is kept
 * beside it and is not part of the entry.
 */
public record AuditEntry(
    long index, String prev, String kind, long at, JsonNode payload, @JsonIgnore String hash) {}
