// Checks the image's build arguments with the agent's own rules (AgentSettings: name length and
// characters, EIP-55 checksum of a mixed-case address), so a bad argument fails the image build
// rather than the enclave's boot. Run by the Dockerfile as a single-file program:
//   java -cp target/tee-agent.jar enclave/CheckSettings.java TEE_NAME OPERATOR_ADDRESS
import dev.teeagent.config.AgentSettings;
import dev.teeagent.config.ConfigException;
import java.util.Map;

void main(String[] args) {
  if (args.length != 2) {
    System.err.println("usage: CheckSettings TEE_NAME OPERATOR_ADDRESS");
    System.exit(2);
  }
  try {
    AgentSettings settings =
        AgentSettings.load(new AgentSettings.Flags(args[0], args[1], null, null), Map.of());
    System.out.println(
        "settings: tee_name=" + settings.teeName() + " operator=" + settings.operator().checksummed());
  } catch (ConfigException e) {
    System.err.println("invalid build argument: " + e.getMessage());
    System.exit(1);
  }
}
