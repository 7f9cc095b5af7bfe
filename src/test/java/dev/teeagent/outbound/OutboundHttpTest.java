package dev.teeagent.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutboundHttpTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://openrouter.ai/api/v1",
        "https://example.com:8443/v1?x=1",
        "http://127.0.0.1:8545",
        "http://127.5.6.7/rpc",
        "http://[::1]:8080/"
      })
  void acceptsHttpsAndLoopbackHttp(String url) {
    assertThat(OutboundHttp.isAllowedUrl(url)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://openrouter.ai/api/v1",
        "http://localhost:8545",
        "http://127.0.0.1.nip.io/",
        "http://128.0.0.1/",
        "http://127.0.0.256/",
        "https://user:pass@example.com/",
        "https://example.com/#frag",
        "ftp://example.com/",
        "https:///nohost",
        "not a url"
      })
  void refusesPlainHttpToAnythingButALiteralLoopbackAndOddUrls(String url) {
    assertThat(OutboundHttp.isAllowedUrl(url)).isFalse();
  }
}
