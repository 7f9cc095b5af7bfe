// The verification page: reads the inputs (or ?agent=…&pcrs=…&root=…), runs the verifier module
// against the agent with a fresh random nonce, and shows each check, what the attestation proves,
// the PCRs, the policy variables, and the result of checking any pasted answer. Everything shown
// comes from answers whose signatures were checked; text is only ever set with textContent.
import {
  awsRoot, checkAnswer, fetchSigned, parseExpectedPcrs, PREIMAGE_MEMBERS, rootFromPem, toHex, verifyAgent,
} from "../src/index.js";

// Variables a verifier of a wallet agent usually relies on (DESIGN §5): shown as "not set" when absent.
const POLICY_VARIABLES = [
  "llm_api_key", "llm_base_url", "llm_model", "prompt_max_per_minute", "tx_open", "tx_api_signers",
  "tx_max_value_wei", "tx_max_fee_wei", "tx_budget_wei", "tx_allowed_to", "tx_allowed_calls",
  "tx_allowed_chain_ids", "tx_allowed_rpc_urls",
];

const $ = (id) => document.getElementById(id);
let attestedAddress = null;

function clear(element) {
  while (element.firstChild) element.removeChild(element.firstChild);
}

function cell(row, text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

function tableRows(table, header, rows) {
  clear(table);
  const head = table.createTHead().insertRow();
  for (const name of header) {
    const th = document.createElement("th");
    th.textContent = name;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    row.forEach((value, i) => cell(tr, value, i > 0 ? "mono" : undefined));
  }
}

function showSteps(list, steps) {
  clear(list);
  for (const step of steps) {
    const li = document.createElement("li");
    li.className = step.outcome;
    li.dataset.check = step.check;
    const name = document.createElement("b");
    name.textContent = step.check;
    li.appendChild(name);
    li.appendChild(document.createTextNode(" " + step.detail));
    list.appendChild(li);
  }
}

function showVerdict(element, verified, text) {
  element.textContent = text;
  element.className = verified ? "verified" : "not-verified";
}

/** A parameter's text: fetched when it is an http(s) URL or a relative path, else as given. */
async function parameterText(value) {
  if (!value) return "";
  const trimmed = value.trim();
  const looksLikeUrl = /^https?:\/\//i.test(trimmed) || /^\.{0,2}\/[^\s]*$/.test(trimmed);
  if (!looksLikeUrl || trimmed.startsWith("-----")) return value;
  const response = await fetch(new URL(trimmed, location.href), { cache: "no-store" });
  if (!response.ok) throw new Error(`cannot fetch ${trimmed}: HTTP ${response.status}`);
  return response.text();
}

async function verify() {
  $("verdict").className = "pending";
  $("verdict").textContent = "Verifying…";
  clear($("checks"));
  $("facts-section").hidden = true;
  attestedAddress = null;
  let root;
  let pcrs;
  try {
    pcrs = parseExpectedPcrs($("pcrs").value);
    root = $("root").value.trim() ? await rootFromPem($("root").value) : await awsRoot();
  } catch (e) {
    showVerdict($("verdict"), false, "NOT VERIFIED: input: " + e.message);
    return;
  }
  const agent = $("agent").value.trim();
  if (!/^https?:\/\/[^\s]+$/i.test(agent)) {
    showVerdict($("verdict"), false, "NOT VERIFIED: input: the agent URL must start with http:// or https://");
    return;
  }
  const result = await verifyAgent(agent, { root, expectedPcrs: pcrs, requireLocked: $("require-locked").checked });
  showSteps($("checks"), result.steps);
  if (result.agent.document) await showFacts(agent, result, pcrs);
  // Last, once everything is shown: scripts (and the browser test) wait for this text.
  showVerdict($("verdict"), result.verdict.verified, result.verdict.text);
}

async function showFacts(agent, result, expectedPcrs) {
  const { preimage, config, document: doc, address } = result.agent;
  if (result.verdict.verified) attestedAddress = address;
  const facts = [
    ["agent address (attested key)", address ?? "not proven"],
    ["operator", String(preimage.operator)],
    ["tee_name", String(preimage.tee_name)],
    ["state_hash", String(preimage.state_hash)],
  ];
  facts.push(...custodyFacts(preimage.custody, config.identity?.custody));
  for (const [name, value] of Object.entries(preimage).sort()) {
    if (!["operator", "tee_name", "state_hash", "address", "custody"].includes(name)) {
      const what = PREIMAGE_MEMBERS.includes(name) ? "user_data preimage" : "user_data preimage, unknown to this verifier: not checked";
      facts.push([`${name} (${what})`, typeof value === "string" ? value : JSON.stringify(value)]);
    }
  }
  facts.push(["document time", new Date(doc.timestamp).toISOString()]);
  facts.push(["module_id", doc.moduleId]);
  facts.push(["your nonce", "0x" + result.nonce]);
  facts.push(["attestation mode (as the agent says)", String(config.attestation_mode)]);
  facts.push(["version (as the agent says)", String(config.version)]);
  tableRows($("facts"), ["what", "value"], facts);
  const pcrRows = [...doc.pcrs].map(([index, value]) => {
    const expected = expectedPcrs.get(index);
    const mark = expected === undefined ? "not checked" : toHex(expected) === toHex(value) ? "as expected" : "DIFFERS from " + toHex(expected);
    return ["PCR" + index, toHex(value), mark];
  });
  tableRows($("pcr-table"), ["PCR", "value", "expected"], pcrRows);
  $("facts-section").hidden = false;
  await showVariables(agent, address, String(preimage.state_hash));
}

/** Who else can get at the agent's key: the attested custody statement, and /config's reasons. */
function custodyFacts(custody, configCustody) {
  if (custody === undefined) return [["custody (user_data preimage)", "none attested: the agent keeps no sealed identity under a KMS key"]];
  if (!custody || typeof custody !== "object") return [];
  const rows = [
    ["custody: KMS key (user_data preimage)", String(custody.key_id)],
    ["custody: key origin", String(custody.origin)],
    ["custody: key policy sha256", String(custody.policy_sha256)],
    ["custody: locked", custody.locked === true
      ? "yes: only this image can decrypt with the key, and no one can change that"
      : "NO: others than this image may get at the agent's key"],
  ];
  const reasons = Array.isArray(configCustody?.reasons) ? configCustody.reasons : [];
  if (reasons.length > 0) rows.push(["custody: why not locked (as /config says)", reasons.map(String).join("; ")]);
  return rows;
}

async function showVariables(agent, address, attestedStateHash) {
  clear($("variables"));
  if (!address) {
    $("variables-note").textContent = "Not shown: the agent's key was not proven.";
    return;
  }
  let answer;
  try {
    answer = await fetchSigned(globalThis.fetch.bind(globalThis), agent.replace(/\/+$/, ""), "/api/v1/variables");
  } catch (e) {
    $("variables-note").textContent = "GET /variables: " + e.message;
    return;
  }
  if (answer.signer !== address) {
    $("variables-note").textContent = `GET /variables was signed by ${answer.signer}, not by the attested agent: not shown.`;
    return;
  }
  const variables = Array.isArray(answer.body.variables) ? answer.body.variables : [];
  const set = new Set(variables.map((v) => v.name));
  const rows = variables.map((v) => [
    String(v.name),
    v.hidden ? `hidden (keccak256 of ciphertext ${v.value_hash})` : String(v.value),
    v.hidden ? "yes" : "no",
    v.immutable ? "yes (can never change)" : "no (the operator can change it)",
  ]);
  for (const name of POLICY_VARIABLES.filter((n) => !set.has(n))) rows.push([name, "not set", "", ""]);
  tableRows($("variables"), ["variable", "value", "hidden", "immutable"], rows);
  const same = answer.body.state_hash === attestedStateHash;
  $("variables-note").textContent =
    `Signed by the attested agent ${address}. ` +
    (same
      ? "Its state_hash is the attested one: these are the variables the attestation commits to."
      : `Its state_hash ${answer.body.state_hash} differs from the attested one: the state changed since; verify again.`);
}

function checkPastedAnswer() {
  const text = $("answer").value;
  const expect = {};
  if (attestedAddress) expect.agent = attestedAddress;
  const request = $("answer-request").value.trim();
  if (request) {
    const match = /^([A-Za-z]+)\s+([^?\s]+)(?:\?(\S*))?$/.exec(request);
    if (!match) {
      showVerdict($("answer-verdict"), false, 'NOT VERIFIED: write the request as "METHOD /path?query"');
      return;
    }
    const body = $("answer-body").value;
    expect.request = { method: match[1], path: match[2], query: match[3] ?? null, body: body === "" ? null : body };
  }
  if ($("answer-nonce").value !== "") expect.clientNonce = $("answer-nonce").value;
  const steps = checkAnswer(text, expect);
  showSteps($("answer-checks"), steps);
  const failure = steps.find((step) => step.outcome !== "passed");
  if (failure) {
    showVerdict($("answer-verdict"), false, `NOT VERIFIED: ${failure.check} check failed: ${failure.detail}`);
  } else if (!attestedAddress) {
    showVerdict($("answer-verdict"), false, `NOT VERIFIED: signed by ${JSON.parse(text).signer}, but no agent is verified above to compare it with`);
  } else {
    showVerdict($("answer-verdict"), true, `VERIFIED: signed by the attested agent ${attestedAddress}`);
  }
}

async function readFileInto(input, target) {
  const file = input.files?.[0];
  if (file) target.value = await file.text();
}

async function start() {
  $("pcrs-file").addEventListener("change", () => readFileInto($("pcrs-file"), $("pcrs")));
  $("root-file").addEventListener("change", () => readFileInto($("root-file"), $("root")));
  $("inputs").addEventListener("submit", (event) => {
    event.preventDefault();
    verify().catch((e) => showVerdict($("verdict"), false, "NOT VERIFIED: " + e.message));
  });
  $("check-answer").addEventListener("click", checkPastedAnswer);
  const params = new URLSearchParams(location.search);
  try {
    $("agent").value = params.get("agent") ?? "";
    $("pcrs").value = await parameterText(params.get("pcrs"));
    $("root").value = await parameterText(params.get("root"));
    $("require-locked").checked = ["1", "true", "yes"].includes(params.get("require_locked") ?? "");
  } catch (e) {
    showVerdict($("verdict"), false, "NOT VERIFIED: input: " + e.message);
    return;
  }
  if (params.get("agent")) $("inputs").requestSubmit();
}

start();
