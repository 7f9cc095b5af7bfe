package dev.teeagent.variables;

/**
 * A variable as shown in {@code GET /variables} and hashed into {@code state_hash}: {@code value}
 * is null for hidden variables, {@code value_hash} (keccak256 of the ciphertext) null for public
 * ones. Every member is always present so that the JCS form is the same for everyone.
 */
public record VariableView(
    String name, String value, String valueHash, boolean hidden, boolean immutable) {}
