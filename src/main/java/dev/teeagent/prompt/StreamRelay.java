package dev.teeagent.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.crypto.Keccak;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Relays a provider's event stream to the client, each chunk's data verbatim as one {@code data:}
 * event, then {@code data: [DONE]}; meanwhile assembles the final completion and keeps every byte
 * sent, so the signed final event can carry {@code stream_hash}.
 */
final class StreamRelay {
  static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

  private final EventSink sink;
  private final ObjectMapper mapper;
  private final ApiKey key;
  private final ByteArrayOutputStream relayed = new ByteArrayOutputStream();

  StreamRelay(EventSink sink, ObjectMapper mapper, ApiKey key) {
    this.sink = sink;
    this.mapper = mapper;
    this.key = key;
  }

  /** Relays until the provider is done; returns the assembled completion. */
  JsonNode run(SseReader events) throws IOException {
    StreamAssembler assembler = new StreamAssembler(mapper);
    boolean done = false;
    String data;
    while ((data = next(events)) != null) {
      if (data.equals("[DONE]")) {
        done = true;
        break;
      }
      assembler.add(Completions.parseChunk(data, key, mapper));
      send(frame(data));
    }
    if (!done && !assembler.finished()) {
      throw ProviderFailure.badAnswer("stream ended before it was complete");
    }
    send(DONE);
    return assembler.completion();
  }

  /** 0x + keccak256 of every byte relayed so far. */
  String streamHash() {
    return Keccak.hashHex(relayed.toByteArray());
  }

  private static String next(SseReader events) {
    try {
      return events.next();
    } catch (IOException e) {
      throw ProviderFailure.whileReading(e);
    }
  }

  private void send(byte[] event) throws IOException {
    if (relayed.size() + event.length > PromptService.MAX_ANSWER_BYTES) {
      throw ProviderFailure.badAnswer("stream is larger than 8 MiB");
    }
    relayed.write(event);
    sink.send(event);
  }

  /** One event holding {@code data}; a multi-line data keeps its lines. */
  static byte[] frame(String data) {
    StringBuilder event = new StringBuilder(data.length() + 16);
    for (String line : data.split("\n", -1)) {
      event.append("data: ").append(line).append('\n');
    }
    return event.append('\n').toString().getBytes(StandardCharsets.UTF_8);
  }
}
