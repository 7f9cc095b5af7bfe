// The answers dev.teeagent.testing.SignedAnswers recorded in a directory (N.json: one exact body
// each), for the checks make test runs after the suite. Ends the process with status 1 when there
// is none: a check over nothing proves nothing.
import { readdirSync } from "node:fs";

export function recordedAnswers(dir, checked) {
  let files;
  try {
    files = readdirSync(dir).filter((name) => name.endsWith(".json")).sort();
  } catch {
    files = [];
  }
  if (files.length === 0) {
    console.error(`no signed answers recorded in ${dir}: nothing was ${checked}`);
    process.exit(1);
  }
  return files;
}
