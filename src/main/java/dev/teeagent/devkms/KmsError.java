package dev.teeagent.devkms;

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
    return new KmsError("NotFoundException", "Key '" + printable(keyId) + "' does not exist");
  }

  static KmsError accessDenied(String why) {
    return new KmsError("AccessDeniedException", why);
  }

  static KmsError validation(String why) {
    return new KmsError("ValidationException", why);
  }

  static String printable(String text) {
    String cut = text.length() > 200 ? text.substring(0, 200) + "…" : text;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }
}
