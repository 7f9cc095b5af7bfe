package dev.teeagent.variables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeagent.error.AgentException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WellKnownValuesTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "tx_allowed_to|0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266,0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
        "tx_allowed_calls|0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266:0xa9059cbb",
        "tx_allowed_chain_ids|1,31337",
        "tx_max_value_wei|1000000000000000000",
        "tx_open|false",
        "tx_budget_window|24h",
        "tx_budget_window|P7D",
        "tx_budget_window|1s",
        "prompt_max_per_minute|60",
        "some_other_name|anything , at all,,"
      })
  void acceptsWellFormedValues(String name, String value) {
    assertThatCode(() -> WellKnownValues.check("c", name, value)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "tx_allowed_to|0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266,|empty_list_entry",
        "tx_allowed_to|,0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266|empty_list_entry",
        "tx_api_signers|''|empty_list_entry",
        "tx_allowed_to|0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266, 0x70997970c51812dc3a010c7d01b50e0d17dc79c8|invalid_value",
        "tx_allowed_to|0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266|invalid_value",
        "tx_allowed_calls|0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266|invalid_value",
        "tx_allowed_chain_ids|0|invalid_value",
        "tx_max_fee_wei|-1|invalid_value",
        "tx_budget_wei|0x10|invalid_value",
        "tx_open|yes|invalid_value",
        "tx_budget_window|500ms|invalid_value",
        "tx_budget_window|P367D|invalid_value",
        "tx_budget_window|a day|invalid_value",
        "prompt_max_per_minute|0|invalid_value",
        "tx_allowed_rpc_urls|https://rpc.example,http://rpc.example|invalid_value"
      })
  void refusesMalformedValuesWithTheirCode(String name, String value, String code) {
    assertThatThrownBy(() -> WellKnownValues.check("c", name, value))
        .isInstanceOfSatisfying(
            AgentException.class, e -> assertThat(e.code().code()).isEqualTo(code));
  }
}
