package dev.teeagent.variables;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Values of every well-known variable the agent must accept, and values it must refuse with their
 * code, for the tests of {@link WellKnownVariables} at set time and of its readers at use time.
 */
public final class WellKnownSamples {
  private static final String ALICE = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
  private static final String BOB = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
  private static final String MAX_UINT256 =
      BigInteger.TWO.pow(256).subtract(BigInteger.ONE).toString();

  /** Accepted values, by variable; every variable of the registry has some. */
  public static final Map<String, List<String>> GOOD =
      Map.ofEntries(
          Map.entry(
              "llm_api_key", List.of("sk-or-v1-0123456789abcdef", "x", "~!@#$%^&*()_+{}|:<>?")),
          Map.entry(
              "llm_base_url",
              List.of(
                  "https://openrouter.ai/api/v1",
                  "https://openrouter.ai/api/v1/",
                  "http://127.0.0.1:8080/v1/",
                  "http://[::1]:9000/v1",
                  "https://llm.example.org:8443")),
          Map.entry("llm_model", List.of("openai/gpt-4o-mini", "", "any text, at all")),
          Map.entry("llm_allowed_models", List.of("openai/gpt-4o", "a,b,a", "m".repeat(256))),
          Map.entry("llm_max_tokens", List.of("1", "4096", "1000000")),
          Map.entry("llm_http_referer", List.of("https://agent.example.org", "", "r".repeat(512))),
          Map.entry("llm_app_title", List.of("TEE Agent demo", " spaced ", "~")),
          Map.entry("prompt_max_per_minute", List.of("1", "60", "1000000")),
          Map.entry("tx_open", List.of("true", "false")),
          Map.entry("tx_api_signers", List.of(ALICE, BOB, ALICE + "," + BOB)),
          Map.entry("tx_max_value_wei", List.of("0", "1000000000000000000", MAX_UINT256)),
          Map.entry("tx_max_fee_wei", List.of("0", "1000000000000000")),
          Map.entry("tx_budget_wei", List.of("1", MAX_UINT256)),
          Map.entry("tx_budget_window", List.of("1s", "10m", "24h", "P7D", "P366D")),
          Map.entry("tx_allowed_to", List.of(ALICE + "," + BOB, ALICE.toLowerCase())),
          Map.entry(
              "tx_allowed_calls",
              List.of(ALICE + ":0xa9059cbb", BOB + ":0xA9059CBB," + ALICE + ":0x095ea7b3")),
          Map.entry("tx_allowed_chain_ids", List.of("1", "1,31337", MAX_UINT256)),
          Map.entry(
              "tx_allowed_rpc_urls",
              List.of(
                  "https://rpc.example.org",
                  "http://127.0.0.1:8545,https://rpc.example.org/v2?key=abc",
                  "https://rpc.example/" + "p".repeat(2028))));

  /** Refused values: variable, value, code (and what the case shows). */
  public static Stream<Arguments> bad() {
    return Stream.of(
        bad("llm_api_key", "sk with spaces", "invalid_value"),
        bad("llm_api_key", "", "invalid_value"),
        bad("llm_api_key", "  ", "invalid_value"),
        bad("llm_api_key", "sk-tab\there", "invalid_value"),
        bad("llm_api_key", "sk-line\nbreak", "invalid_value"),
        bad("llm_api_key", "sk-clé", "invalid_value"),
        bad("llm_base_url", "https://openrouter.ai/api/v1?x=1", "invalid_value"),
        bad("llm_base_url", "https://openrouter.ai/api/v1?", "invalid_value"),
        bad("llm_base_url", "https://openrouter.ai/api/v1#part", "invalid_value"),
        bad("llm_base_url", "https://user:pass@openrouter.ai/api/v1", "invalid_value"),
        bad("llm_base_url", "https://user@openrouter.ai/api/v1", "invalid_value"),
        bad("llm_base_url", "http://openrouter.ai/api/v1", "invalid_value"),
        bad("llm_base_url", "http://localhost:8080/v1", "invalid_value"),
        bad("llm_base_url", "ftp://127.0.0.1/v1", "invalid_value"),
        bad("llm_base_url", "not a url", "invalid_value"),
        bad("llm_base_url", "", "invalid_value"),
        bad("llm_allowed_models", "a, b", "invalid_value"),
        bad("llm_allowed_models", "a,,b", "empty_list_entry"),
        bad("llm_allowed_models", "", "empty_list_entry"),
        bad("llm_allowed_models", "m".repeat(257), "invalid_value"),
        bad("llm_max_tokens", "0", "invalid_value"),
        bad("llm_max_tokens", "2147483647", "invalid_value"),
        bad("llm_max_tokens", "1000001", "invalid_value"),
        bad("llm_max_tokens", "01", "invalid_value"),
        bad("llm_max_tokens", " 5", "invalid_value"),
        bad("llm_http_referer", "https://agent.example.org\r\nX-Evil: 1", "invalid_value"),
        bad("llm_http_referer", "r".repeat(513), "invalid_value"),
        bad("llm_http_referer", "https://agent.exämple.org", "invalid_value"),
        bad("llm_app_title", "two\nlines", "invalid_value"),
        bad("llm_app_title", "tab\there", "invalid_value"),
        bad("prompt_max_per_minute", "0", "invalid_value"),
        bad("prompt_max_per_minute", "-1", "invalid_value"),
        bad("prompt_max_per_minute", "sixty", "invalid_value"),
        bad("tx_open", "yes", "invalid_value"),
        bad("tx_open", "TRUE", "invalid_value"),
        bad("tx_api_signers", "", "empty_list_entry"),
        bad("tx_api_signers", ALICE + ";" + BOB, "invalid_value"),
        bad("tx_max_value_wei", "1e18", "invalid_value"),
        bad("tx_max_fee_wei", "-1", "invalid_value"),
        bad("tx_budget_wei", "0x10", "invalid_value"),
        bad("tx_budget_wei", MAX_UINT256 + "0", "invalid_value"),
        bad("tx_budget_window", "500ms", "invalid_value"),
        bad("tx_budget_window", "P367D", "invalid_value"),
        bad("tx_budget_window", "a day", "invalid_value"),
        bad("tx_allowed_to", ALICE + ",", "empty_list_entry"),
        bad("tx_allowed_to", "," + ALICE, "empty_list_entry"),
        bad("tx_allowed_to", ALICE + ", " + BOB, "invalid_value"),
        bad("tx_allowed_to", "0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "invalid_value"),
        bad("tx_allowed_calls", ALICE, "invalid_value"),
        bad("tx_allowed_calls", ALICE + ":0xa9059c", "invalid_value"),
        bad("tx_allowed_chain_ids", "0", "invalid_value"),
        bad("tx_allowed_chain_ids", "1,,31337", "empty_list_entry"),
        bad("tx_allowed_rpc_urls", "https://rpc.example,http://rpc.example", "invalid_value"),
        bad("tx_allowed_rpc_urls", "https://user:pass@rpc.example", "invalid_value"),
        bad("tx_allowed_rpc_urls", "https://rpc.example#part", "invalid_value"),
        bad("tx_allowed_rpc_urls", "https://rpc.example/" + "p".repeat(2029), "invalid_value"));
  }

  /** The variables that take any text, so have no refused values. */
  public static final List<String> FREE_TEXT = List.of("llm_model");

  private WellKnownSamples() {}

  private static Arguments bad(String name, String value, String code) {
    return Arguments.of(name, value, code);
  }
}
