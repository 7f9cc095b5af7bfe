package dev.teeagent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.App;
import dev.teeagent.json.JsonMappers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code serve --simulated-pcrs-out FILE}: PCR0-2 of the running code in the format {@code make
 * eif} writes to build/pcrs.json, so a local operator or verifier can pin them as they would an
 * enclave's. They are taken from the agent's own signed {@code /config} (its code attestation),
 * fetched over loopback: the same values every verifier sees.
 */
final class SimulatedPcrs {
  private SimulatedPcrs() {}

  static void write(App app, String host, Path file) throws CliFailure {
    if (app.simulatedRoot().isEmpty()) {
      throw new CliFailure(
          "--simulated-pcrs-out: only in simulated attestation mode (an enclave's PCRs come from"
              + " make eif)");
    }
    String loopback = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    if (loopback.contains(":")) {
      loopback = "[" + loopback + "]";
    }
    ObjectMapper mapper = JsonMappers.strict();
    AgentClient self = new AgentClient("http://" + loopback + ":" + app.port(), mapper);
    JsonNode pcrs = self.get("/config").json().path("code_attestation").path("pcrs");
    ObjectNode out = mapper.createObjectNode().put("HashAlgorithm", "Sha384 { ... }");
    for (String index : new String[] {"PCR0", "PCR1", "PCR2"}) {
      if (!pcrs.path(index).isTextual()) {
        throw new CliFailure("--simulated-pcrs-out: the agent's /config carries no " + index);
      }
      out.put(index, pcrs.path(index).asText());
    }
    try {
      Path absolute = file.toAbsolutePath();
      Files.createDirectories(absolute.getParent());
      Path temporary = Files.createTempFile(absolute.getParent(), ".pcrs", ".json");
      Files.write(temporary, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(out));
      Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new CliFailure(UserFiles.cannotWrite("--simulated-pcrs-out", file));
    }
  }
}
