package dev.teeagent.devkms;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What dev-kms answers to requests no AWS SDK would send: KMS-shaped JSON errors, never a 500. */
class DevKmsProtocolIT {
  @TempDir static Path dir;
  private static DevKmsFixture kms;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    kms = new DevKmsFixture(dir);
  }

  @AfterAll
  static void stop() {
    kms.close();
  }

  static Stream<Arguments> requests() {
    String json = DevKmsServer.CONTENT_TYPE;
    return Stream.of(
        Arguments.of("TrentService.DescribeKey", "text/plain", "{}", "SerializationException"),
        Arguments.of(null, json, "{}", "UnknownOperationException"),
        Arguments.of("TrentService.ScheduleKeyDeletion", json, "{}", "UnknownOperationException"),
        Arguments.of("TrentService.DescribeKey", json, "{", "SerializationException"),
        Arguments.of("TrentService.DescribeKey", json, "[1]", "SerializationException"),
        Arguments.of("TrentService.DescribeKey", json, "{\"KeyId\":1}", "ValidationException"),
        Arguments.of(
            "TrentService.DescribeKey",
            json,
            "{\"KeyId\":\"a\",\"KeyId\":\"b\"}",
            "SerializationException"),
        Arguments.of("TrentService.DescribeKey", json, "{}", "ValidationException"),
        Arguments.of("TrentService.DescribeKey", json, "{\"KeyId\":\"nope\"}", "NotFoundException"),
        Arguments.of(
            "TrentService.Decrypt",
            json,
            "{\"CiphertextBlob\":\"AAAA\"}",
            "InvalidCiphertextException"),
        Arguments.of(
            "TrentService.Decrypt", json, "{\"CiphertextBlob\":\"!!\"}", "ValidationException"),
        Arguments.of(
            "TrentService.CreateKey",
            json,
            "{\"Policy\":\"{}\"}",
            "MalformedPolicyDocumentException"),
        Arguments.of(
            "TrentService.CreateKey",
            json,
            "{\"KeySpec\":\"RSA_2048\"}",
            "UnsupportedOperationException"),
        Arguments.of(
            "TrentService.DescribeKey",
            json,
            "{\"KeyId\":\"" + "x".repeat(300_000) + "\"}",
            "ValidationException"));
  }

  @ParameterizedTest(name = "{0} {1} {3}")
  @MethodSource("requests")
  void aBadRequestGetsAKmsErrorOfTheRightType(
      String target, String contentType, String body, String type) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(kms.endpoint() + "/"))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (target != null) {
      request.header("X-Amz-Target", target);
    }
    HttpResponse<String> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).hasValue(DevKmsServer.CONTENT_TYPE);
    assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue(type);
    assertThat(response.body()).startsWith("{\"__type\":\"" + type + "\",\"message\":\"");
  }
}
