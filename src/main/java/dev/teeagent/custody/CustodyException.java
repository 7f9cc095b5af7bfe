package dev.teeagent.custody;

/**
 * A refusal from the custody code (CMS, sealing, KMS). Its message is a sentence written here, safe
 * to log or show; the cause (from BouncyCastle, the JCE or the AWS SDK) is kept for debugging but
 * never put into the message, since crypto and upstream texts may carry key material or internals.
 */
public final class CustodyException extends Exception {
  private static final long serialVersionUID = 1L;

  public CustodyException(String reason) {
    super(reason);
  }

  public CustodyException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
