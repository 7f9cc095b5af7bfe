// Builds the verification page as one self-contained HTML file: page/page.js and the verifier
// module with its npm dependencies (from package-lock.json) bundled by esbuild into an inline
// module script, allowed by its SHA-256 in the page's Content-Security-Policy. One file works from
// disk (file://) and from any static host. The same sources and lockfile give the same bytes.
//   node verifier-js/build-page.mjs [OUT_FILE]   (default verifier-js/dist/verify.html)
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const SCRIPT_TAG = '<script type="module" src="./page.js"></script>';

export async function buildPage(outFile = resolve(here, "dist/verify.html")) {
  const result = await build({
    entryPoints: [resolve(here, "page/page.js")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: ["es2022"],
    minify: true,
    legalComments: "eof",
    charset: "utf8",
    write: false,
    logLevel: "warning",
  });
  const code = result.outputFiles[0].text.replaceAll("</script", "<\\/script");
  const template = readFileSync(resolve(here, "page/verify.html"), "utf8");
  if (!template.includes(SCRIPT_TAG)) throw new Error("page/verify.html lost its page.js script tag");
  const hash = createHash("sha256").update(code, "utf8").digest("base64");
  const html = template
    .replace("script-src 'self';", `script-src 'sha256-${hash}';`)
    .replace(SCRIPT_TAG, () => `<script type="module">${code}</script>`);
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, html);
  return { outFile, bytes: Buffer.byteLength(html) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { outFile, bytes } = await buildPage(process.argv[2] ? resolve(process.argv[2]) : undefined);
  console.log(`${outFile}: ${bytes} bytes`);
}
