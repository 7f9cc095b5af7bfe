// The user_data preimage (DESIGN §4): the members this verifier knows how to check, in one place.
// A verifier vouches only for what it understands, so a preimage with any other member — or
// without one of these, or with one that is not text — fails the "user data" check, as in the Java
// verifier (dev.teeagent.verifier.UserDataPreimage, whose record components are its list).
// When the agent adds a member, add it here and to that record, and say in agent.js what is
// compared.
import { printable } from "./bytes.js";

/** Members every preimage has, each a JSON string. */
export const PREIMAGE_MEMBERS = Object.freeze(["tee_name", "operator", "address", "state_hash"]);

/**
 * Members an agent writes only when they apply: tls_spki_sha256 (a JSON string) with HTTPS on,
 * custody (an object, CUSTODY_MEMBERS) with a sealed identity.
 */
export const OPTIONAL_PREIMAGE_MEMBERS = Object.freeze(["tls_spki_sha256", "custody"]);

/**
 * The custody member (dev.teeagent.verifier.AttestedCustody): the KMS key holding the sealed
 * identity (text), its origin and policy hash (text, or null when the agent could not read them),
 * and whether its policy is locked to the image (true or false).
 */
export const CUSTODY_MEMBERS = Object.freeze(["key_id", "origin", "policy_sha256", "locked"]);

function custodyProblems(custody) {
  if (!custody || typeof custody !== "object" || Array.isArray(custody)) return ["custody is not an object"];
  const problems = [];
  const unknown = Object.keys(custody).filter((name) => !CUSTODY_MEMBERS.includes(name)).sort();
  if (unknown.length > 0) {
    problems.push(`custody members this verifier does not know how to check: ${unknown.map((name) => `"${printable(name)}"`).join(", ")}`);
  }
  if (typeof custody.key_id !== "string") problems.push("custody.key_id is missing or not text");
  for (const name of ["origin", "policy_sha256"]) {
    if (!(name in custody) || !(typeof custody[name] === "string" || custody[name] === null)) {
      problems.push(`custody.${name} is missing or not text or null`);
    }
  }
  if (typeof custody.locked !== "boolean") problems.push("custody.locked is missing or not true or false");
  return problems;
}

/** What is wrong with a preimage as received (sentences, empty when nothing), before any comparison. */
export function preimageProblems(preimage) {
  if (!preimage || typeof preimage !== "object" || Array.isArray(preimage)) return ["the preimage is not a JSON object"];
  const problems = [];
  const unknown = Object.keys(preimage).filter((name) => !PREIMAGE_MEMBERS.includes(name) && !OPTIONAL_PREIMAGE_MEMBERS.includes(name)).sort();
  if (unknown.length > 0) {
    problems.push(`members this verifier does not know how to check: ${unknown.map((name) => `"${printable(name)}"`).join(", ")}`);
  }
  for (const name of PREIMAGE_MEMBERS) {
    if (typeof preimage[name] !== "string") problems.push(`${name} is missing or not text`);
  }
  for (const name of OPTIONAL_PREIMAGE_MEMBERS) {
    if (!(name in preimage)) continue;
    if (name === "custody") problems.push(...custodyProblems(preimage.custody));
    else if (typeof preimage[name] !== "string") problems.push(`${name} is not text`);
  }
  return problems;
}
