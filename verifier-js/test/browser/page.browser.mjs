// The verification page in Debian's headless chromium, driven by puppeteer-core, against a running
// simulated agent (started by JsVerificationPageIT from the real jar). The page is built once (and
// a second time, to prove the build reproducible), then opened from a static server of another
// origin and from disk. Screenshots of every state go to OUT_DIR.
//   env: AGENT_URL, ROOT_FILE (the agent's simulated root, PEM), PCRS_FILE (its pcrs.json),
//        OUT_DIR, CHROMIUM (default /usr/bin/chromium)
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createServer, request as httpRequest } from "node:http";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";
import { Wallet } from "ethers";
import { buildPage } from "../../build-page.mjs";
import { PROJECT_DIR } from "../fixtures.js";

const AGENT = process.env.AGENT_URL;
const OUT = process.env.OUT_DIR;
const ROOT_PEM = readFileSync(process.env.ROOT_FILE, "utf8");
const PCRS = JSON.parse(readFileSync(process.env.PCRS_FILE, "utf8"));
const WRONG_PCRS = { ...PCRS, PCR1: "11".repeat(48) };

let browser;
let userDataDir;
let staticServer;
let proxy;
let staticBase;
let proxyBase;
const pageErrors = [];

function listen(server) {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${server.address().port}`)));
}

/** A static host of another origin than the agent: the page, pcrs.json files and the root. */
function staticFiles(pagePath) {
  const files = {
    "/verify.html": ["text/html; charset=utf-8", () => readFileSync(pagePath)],
    "/pcrs.json": ["application/json", () => JSON.stringify(PCRS)],
    "/pcrs-wrong.json": ["application/json", () => JSON.stringify(WRONG_PCRS)],
    "/root.pem": ["text/plain", () => ROOT_PEM],
  };
  return createServer((req, res) => {
    const file = files[new URL(req.url, "http://x").pathname];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "Content-Type": file[0], "Cache-Control": "no-store" }).end(file[1]());
  });
}

/** A proxy in front of the agent that changes one byte of every /attestation answer. */
function tamperingProxy() {
  const target = new URL(AGENT);
  return createServer((req, res) => {
    // Plain bytes from the agent (no gzip), so the one changed byte is a change of the answer's text.
    const headers = { ...req.headers, "accept-encoding": "identity" };
    const upstream = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers }, (answer) => {
      const chunks = [];
      answer.on("data", (chunk) => chunks.push(chunk));
      answer.on("end", () => {
        const body = Buffer.concat(chunks);
        if (req.url.startsWith("/api/v1/attestation")) {
          const start = body.indexOf('"document":"');
          if (start < 0 || answer.headers["content-encoding"]) throw new Error("the proxy expected a plain /attestation answer");
          const at = start + 200;
          body[at] = body[at] === 0x41 ? 0x42 : 0x41; // one base64 character of the document
        }
        res.writeHead(answer.statusCode, answer.headers).end(body);
      });
    });
    req.pipe(upstream);
  });
}

/** The development operator (anvil's public account #0) sets one immutable and one mutable variable. */
async function operatorSetsVariables() {
  const current = await (await fetch(AGENT + "/api/v1/variables")).json();
  if (current.variables.some((v) => v.name === "tx_max_value_wei")) return;
  const config = await (await fetch(AGENT + "/api/v1/config")).json();
  const operator = new Wallet("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
  assert.equal(operator.address, config.operator, "the agent was started with the development operator");
  const commands = [
    { function: "set", name: "tx_max_value_wei", value: "1000000000000000000", hidden: false, immutable: true },
    { function: "set", name: "llm_model", value: "page-test-model", hidden: false, immutable: false },
  ];
  const batch = { commands, nonce: config.operator_nonce, deadline: String(Math.floor(Date.now() / 1000) + 600) };
  const signature = await operator.signTypedData(
    { name: config.tee_name, version: "1", verifyingContract: config.address },
    {
      CommandBatch: [{ name: "commands", type: "VariableCommand[]" }, { name: "nonce", type: "uint256" }, { name: "deadline", type: "uint256" }],
      VariableCommand: [{ name: "function", type: "string" }, { name: "name", type: "string" }, { name: "value", type: "string" }, { name: "hidden", type: "bool" }, { name: "immutable", type: "bool" }],
    },
    batch,
  );
  const answer = await fetch(AGENT + "/api/v1/variables", { method: "POST", body: JSON.stringify({ ...batch, signature }) });
  assert.equal(answer.status, 200, await answer.text());
}

before(async () => {
  await operatorSetsVariables();
  // Built as the docs say (node verifier-js/build-page.mjs OUT), then again: the same bytes.
  const built = { outFile: join(OUT, "verify.html") };
  execFileSync(process.execPath, ["verifier-js/build-page.mjs", built.outFile], { cwd: PROJECT_DIR, stdio: "inherit" });
  const again = await buildPage(join(OUT, "verify-rebuilt.html"));
  assert.deepEqual(readFileSync(again.outFile), readFileSync(built.outFile), "the page build is reproducible");
  staticServer = staticFiles(built.outFile);
  staticBase = await listen(staticServer);
  proxy = tamperingProxy();
  proxyBase = await listen(proxy);
  userDataDir = mkdtempSync(join(tmpdir(), "verify-page-chromium-"));
  browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    userDataDir,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
});

after(async () => {
  await browser?.close();
  staticServer?.close();
  proxy?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

const query = (params) => new URLSearchParams(params).toString();

/** Opens `url`, waits for the final verdict, saves a screenshot, returns what the page shows. */
async function open(url, screenshot, act) {
  const page = await browser.newPage();
  page.on("pageerror", (error) => pageErrors.push(`${screenshot}: ${error.message}`));
  page.on("requestfailed", (r) => console.log(`[${screenshot}] request failed: ${r.url()} ${r.failure()?.errorText}`));
  await page.setViewport({ width: 1100, height: 900 });
  await page.goto(url);
  if (act) await act(page);
  await page.waitForFunction(() => /^(VERIFIED|NOT VERIFIED)/.test(document.querySelector("#verdict").textContent), { timeout: 60_000 });
  const shown = await page.evaluate(() => ({
    verdict: document.querySelector("#verdict").textContent,
    checks: [...document.querySelectorAll("#checks li")].map((li) => `${li.className} ${li.dataset.check}`),
    facts: document.querySelector("#facts").textContent,
    variables: document.querySelector("#variables-note").textContent,
  }));
  await page.screenshot({ path: join(OUT, `${screenshot}.png`), fullPage: true });
  return { page, shown };
}

const ALL_PASSED = ["fetch", "signature", "chain", "freshness", "debug", "pcrs", "nonce", "agent key", "user data"].map((c) => "passed " + c);

test("hosted on another origin, with the right PCRs and root: VERIFIED, every check green", async () => {
  const { page, shown } = await open(`${staticBase}/verify.html?${query({ agent: AGENT, pcrs: "/pcrs.json", root: "/root.pem" })}`, "1-verified-hosted");
  assert.equal(shown.verdict, "VERIFIED");
  assert.deepEqual(shown.checks, ALL_PASSED);
  const config = await (await fetch(AGENT + "/api/v1/config")).json();
  assert.ok(shown.facts.includes(config.address), shown.facts);
  assert.ok(shown.facts.includes(config.operator), shown.facts);
  assert.ok(shown.facts.includes(config.state_hash), shown.facts);
  assert.match(shown.variables, /^Signed by the attested agent .* these are the variables the attestation commits to\.$/);
  const rows = await page.$$eval("#variables tbody tr", (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
  assert.deepEqual(rows.find((r) => r[0] === "tx_max_value_wei"), ["tx_max_value_wei", "1000000000000000000", "no", "yes (can never change)"]);
  assert.deepEqual(rows.find((r) => r[0] === "llm_model"), ["llm_model", "page-test-model", "no", "no (the operator can change it)"]);
  assert.deepEqual(rows.find((r) => r[0] === "tx_budget_wei"), ["tx_budget_wei", "not set", "", ""]);
  await page.close();
});

test("opened from disk (file://) with the inputs in the query: VERIFIED", async () => {
  const url = pathToFileURL(join(OUT, "verify.html")).href + "?" + query({ agent: AGENT, pcrs: JSON.stringify(PCRS), root: ROOT_PEM });
  const { page, shown } = await open(url, "2-verified-from-disk");
  assert.equal(shown.verdict, "VERIFIED");
  assert.deepEqual(shown.checks, ALL_PASSED);
  await page.close();
});

test("inputs typed into the form, then a pasted answer checked: VERIFIED, and one changed byte is caught", async () => {
  const { page, shown } = await open(`${staticBase}/verify.html`, "3-typed-inputs", async (p) => {
    await p.type("#agent", AGENT);
    await p.$eval("#pcrs", (el, text) => { el.value = text; }, Object.entries(PCRS).filter(([k]) => k.startsWith("PCR")).map(([k, v]) => `${k} ${v}`).join("\n"));
    await p.$eval("#root", (el, text) => { el.value = text; }, ROOT_PEM);
    await p.click("#verify");
  });
  assert.equal(shown.verdict, "VERIFIED");
  const answer = await (await fetch(AGENT + "/api/v1/variables?probe=1", { headers: { "X-Client-Nonce": "page-test-7" } })).text();
  const check = async (text, name) => {
    await page.$eval("#answer", (el, value) => { el.value = value; }, text);
    await page.$eval("#answer-request", (el) => { el.value = "GET /api/v1/variables?probe=1"; });
    await page.$eval("#answer-nonce", (el) => { el.value = "page-test-7"; });
    await page.click("#check-answer");
    const result = await page.evaluate(() => ({
      verdict: document.querySelector("#answer-verdict").textContent,
      checks: [...document.querySelectorAll("#answer-checks li")].map((li) => `${li.className} ${li.dataset.check}`),
    }));
    await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
    return result;
  };
  const good = await check(answer, "4-answer-verified");
  assert.match(good.verdict, /^VERIFIED: signed by the attested agent 0x/);
  assert.deepEqual(good.checks, ["passed answer signature", "passed answer signer", "passed answer request", "passed answer client nonce"]);
  const at = answer.indexOf('"operator_nonce":"') + 18;
  const tampered = answer.slice(0, at) + (answer[at] === "7" ? "8" : "7") + answer.slice(at + 1);
  const bad = await check(tampered, "5-answer-tampered");
  assert.match(bad.verdict, /^NOT VERIFIED: answer signature check failed/);
  await page.close();
});

test("wrong PCRs: NOT VERIFIED naming the pcrs check", async () => {
  const { page, shown } = await open(`${staticBase}/verify.html?${query({ agent: AGENT, pcrs: "/pcrs-wrong.json", root: "/root.pem" })}`, "6-wrong-pcrs");
  assert.match(shown.verdict, /^NOT VERIFIED: pcrs check failed: PCR1 is [0-9a-f]{96}, expected (11){48}/);
  assert.ok(shown.checks.includes("failed pcrs"));
  await page.close();
});

test("no PCRs: NOT VERIFIED, the code is not pinned", async () => {
  const { page, shown } = await open(`${staticBase}/verify.html?${query({ agent: AGENT, root: "/root.pem" })}`, "7-no-pcrs");
  assert.match(shown.verdict, /^NOT VERIFIED: the code is not pinned \(no expected PCRs given\)/);
  assert.ok(shown.checks.includes("failed pcrs"));
  await page.close();
});

test("the AWS root instead of the simulated one: NOT VERIFIED naming the chain check", async () => {
  const { page, shown } = await open(`${staticBase}/verify.html?${query({ agent: AGENT, pcrs: "/pcrs.json" })}`, "8-aws-root");
  assert.match(shown.verdict, /^NOT VERIFIED: chain check failed: cabundle\[0\] \(CN=simulated.nitro-enclaves, sha256 [0-9a-f]{64}\) is not the trusted AWS Nitro Enclaves root/);
  assert.deepEqual(shown.checks, ["passed fetch", "passed signature", "failed chain"]);
  await page.close();
});

test("behind a proxy that changes one byte of the attestation answer: NOT VERIFIED naming the fetch check", async () => {
  const { page, shown } = await open(`${staticBase}/verify.html?${query({ agent: proxyBase, pcrs: "/pcrs.json", root: "/root.pem" })}`, "9-tampering-proxy");
  assert.equal(shown.verdict, "NOT VERIFIED: fetch check failed: GET /api/v1/attestation answered 200 without a valid agent signature");
  assert.deepEqual(shown.checks, ["failed fetch"]);
  await page.close();
});

test("locked custody required of an agent without a sealed identity: NOT VERIFIED naming the custody check", async () => {
  const { page, shown } = await open(`${staticBase}/verify.html?${query({ agent: AGENT, pcrs: "/pcrs.json", root: "/root.pem", require_locked: "1" })}`, "10-custody-required");
  assert.match(shown.verdict, /^NOT VERIFIED: custody check failed: the agent attests no custody statement: it keeps no sealed identity/);
  assert.deepEqual(shown.checks, [...ALL_PASSED, "failed custody"]);
  assert.ok(shown.facts.includes("none attested: the agent keeps no sealed identity"), shown.facts);
  await page.close();
});

test("no page raised a script error", () => {
  assert.deepEqual(pageErrors, []);
});
