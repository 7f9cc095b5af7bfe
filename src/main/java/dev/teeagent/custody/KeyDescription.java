package dev.teeagent.custody;

/**
 * What {@code DescribeKey} says about the KMS key, in the fields custody depends on.
 *
 * @param keyId the key's id (UUID)
 * @param arn the key's ARN
 * @param origin AWS_KMS, EXTERNAL, AWS_CLOUDHSM or EXTERNAL_KEY_STORE
 * @param keySpec e.g. SYMMETRIC_DEFAULT
 * @param keyState e.g. Enabled, PendingDeletion
 * @param multiRegion whether the key has (or may have) replicas in other regions
 */
public record KeyDescription(
    String keyId,
    String arn,
    String origin,
    String keySpec,
    String keyState,
    boolean multiRegion) {}
