#!/usr/bin/env node
// A local stand-in for an OpenAI-compatible provider (OpenRouter's chat-completions shape), so the
// quickstart can show a signed prompt answer without a provider account. It answers every
// POST …/chat/completions with a fixed sentence naming the last user message, as JSON (it does
// not stream). It asks for a bearer key, as a provider does, and never stores or prints it.
//
//   node scripts/llm-stub.mjs [--port 18080]      then: llm_base_url = http://127.0.0.1:18080/api/v1
import { createServer } from "node:http";

const portFlag = process.argv.indexOf("--port");
const port = portFlag > 0 ? Number(process.argv[portFlag + 1]) : 18080;
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`llm-stub: --port must be a port number, got '${process.argv[portFlag + 1]}'`);
  process.exit(2);
}

const CREATED = 1767225600; // fixed, so that the quickstart's output is the same on every run

function reply(res, status, body) {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}

function answerTo(request) {
  const users = (request.messages ?? []).filter((m) => m.role === "user");
  const last = users.length ? users[users.length - 1].content : "";
  const text = typeof last === "string" ? last : JSON.stringify(last);
  return `This is the local LLM stub. You said: ${text}`;
}

function completion(request, content) {
  return {
    id: "gen-stub-1",
    object: "chat.completion",
    created: CREATED,
    model: request.model,
    provider: "llm-stub",
    choices: [
      { index: 0, finish_reason: "stop", message: { role: "assistant", content } },
    ],
    usage: { prompt_tokens: 10, completion_tokens: 12, total_tokens: 22 },
  };
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    if (req.method !== "POST" || !req.url.endsWith("/chat/completions")) {
      return reply(res, 404, { error: { message: "the stub answers POST …/chat/completions only" } });
    }
    if (!/^Bearer \S+$/.test(req.headers.authorization ?? "")) {
      return reply(res, 401, { error: { message: "no API key (Authorization: Bearer …)" } });
    }
    let request;
    try {
      request = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return reply(res, 400, { error: { message: "the body is not JSON" } });
    }
    if (request.stream) {
      return reply(res, 400, { error: { message: "the stub does not stream: leave out \"stream\"" } });
    }
    console.log(`llm-stub: answered a prompt for ${request.model}`);
    return reply(res, 200, completion(request, answerTo(request)));
  });
});

server.listen(port, "127.0.0.1", () => {
  console.log(`llm-stub: listening on http://127.0.0.1:${port}/api/v1 (chat completions)`);
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
