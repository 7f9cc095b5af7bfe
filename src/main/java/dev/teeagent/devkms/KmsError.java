package dev.teeagent.devkms;

import dev.teeagent.json.UntrustedText;

/** A KMS error answer: its {@code __type} (AWS's exception name) and a message of our own. */
final class KmsError extends Exception {
  private static final long serialVersionUID = 1L;
  private final String type;

  KmsError(String type, String message) {
    super(message);
    this.type = type;
  }

  String type() {
    return type;
  }

  static KmsError notFound(String keyId) {
    return new KmsError(
        "NotFoundException", "Key '" + UntrustedText.quote(keyId, 200) + "' does not exist");
  }

  static KmsError accessDenied(String why) {
    return new KmsError("AccessDeniedException", why);
  }

  static KmsError validation(String why) {
    return new KmsError("ValidationException", why);
  }
}
