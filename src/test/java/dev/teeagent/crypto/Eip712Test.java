package dev.teeagent.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.json.WellFormed;
import dev.teeagent.testing.RandomCases;
import dev.teeagent.variables.CommandBatch;
import dev.teeagent.variables.VariableCommand;
import java.math.BigInteger;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.StructuredDataEncoder;

/**
 * Our fixed-type EIP-712 encoder against web3j's generic one (a second implementation; ethers is
 * the third, in VariablesInteropIT) on random batches.
 */
class Eip712Test {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Address AGENT = Address.parse("0x2c7536E3605D9C16a7a3D7b1898e529396a65c23");

  @Test
  void batchDigestsEqualWeb3jStructuredDataEncoder() {
    RandomCases.forEach(
        0xe1_712L,
        200,
        (random, index) -> {
          List<VariableCommand> commands = RandomCases.listOf(random, 5, Eip712Test::command);
          CommandBatch batch =
              new CommandBatch(
                  commands,
                  BigInteger.valueOf(RandomCases.anyLong(random)).abs(),
                  BigInteger.valueOf(RandomCases.anyLong(random)).abs().shiftLeft(180));
          String teeName = RandomCases.chars(random, 1, 64, '\u0000', '\u007f');
          Eip712.Domain domain = new Eip712.Domain(teeName, "1", AGENT);

          byte[] web3j =
              new StructuredDataEncoder(typedDataJson(batch, domain)).hashStructuredData();

          assertThat(batch.digest(domain)).isEqualTo(web3j);
        });
  }

  @Test
  void aValueWithALoneSurrogateHasNoDigestRatherThanTheDigestOfAQuestionMark() {
    CommandBatch batch =
        new CommandBatch(
            List.of(VariableCommand.set("greeting", "a\ud800", false, false)),
            BigInteger.ONE,
            BigInteger.TEN);
    assertThatThrownBy(() -> batch.digest(new Eip712.Domain("agent", "1", AGENT)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Any function (valid or not), any well-formed UTF-16 name and value: a lone surrogate is refused
   * (the test above), where web3j would hash '?' for it.
   */
  private static VariableCommand command(Random random) {
    return new VariableCommand(
        RandomCases.oneOf(random, "set", "reveal", "freeze", "delete", ""),
        wellFormed(random, 20),
        wellFormed(random, 40),
        random.nextBoolean(),
        random.nextBoolean());
  }

  private static String wellFormed(Random random, int maxLength) {
    String text;
    do {
      text = RandomCases.chars(random, 0, maxLength, '\u0000', '\uffff');
    } while (WellFormed.hasLoneSurrogate(text));
    return text;
  }

  private static String typedDataJson(CommandBatch batch, Eip712.Domain domain) {
    ObjectNode root = MAPPER.createObjectNode();
    ObjectNode types = root.putObject("types");
    field(
        types.putArray("EIP712Domain"),
        "name",
        "string",
        "version",
        "string",
        "verifyingContract",
        "address");
    field(
        types.putArray("CommandBatch"),
        "commands",
        "VariableCommand[]",
        "nonce",
        "uint256",
        "deadline",
        "uint256");
    field(
        types.putArray("VariableCommand"),
        "function",
        "string",
        "name",
        "string",
        "value",
        "string",
        "hidden",
        "bool",
        "immutable",
        "bool");
    root.put("primaryType", "CommandBatch");
    root.putObject("domain")
        .put("name", domain.name())
        .put("version", domain.version())
        .put("verifyingContract", domain.verifyingContract().checksummed());
    ObjectNode message = root.putObject("message");
    ArrayNode commands = message.putArray("commands");
    for (VariableCommand command : batch.commands()) {
      commands
          .addObject()
          .put("function", command.function())
          .put("name", command.name())
          .put("value", command.value())
          .put("hidden", command.hidden())
          .put("immutable", command.immutable());
    }
    message.put("nonce", batch.nonce().toString());
    message.put("deadline", batch.deadline().toString());
    return root.toString();
  }

  private static void field(ArrayNode array, String... nameType) {
    for (int i = 0; i < nameType.length; i += 2) {
      array.addObject().put("name", nameType[i]).put("type", nameType[i + 1]);
    }
  }
}
