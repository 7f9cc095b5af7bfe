package dev.teeagent.transactions;

/** A transaction signed by the agent: the fields, the raw bytes (0x-hex) and their keccak256. */
public record SignedTransaction(UnsignedTransaction fields, String raw, String hash) {}
