// Stand-in for gvproxy in GvproxyScriptIT (no vsock host here): serves an HTTP API on the unix
// socket given as `-listen unix:///path`, as gvproxy does, appends each start and each request as a
// JSON line to $FAKE_GVPROXY_LOG, and exits with status 3 after $FAKE_GVPROXY_LIFETIME_MS so that
// gvproxy.sh's restart can be observed.
import fs from "node:fs";
import http from "node:http";

const args = process.argv.slice(2);
const log = (entry) => fs.appendFileSync(process.env.FAKE_GVPROXY_LOG, JSON.stringify(entry) + "\n");
const listen = args.filter((_, i) => args[i - 1] === "-listen");
const socket = listen.find((url) => url.startsWith("unix://"))?.slice("unix://".length);
if (!socket) {
  console.error("fake-gvproxy: no -listen unix:// argument");
  process.exit(2);
}
log({ event: "start", args });
const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (chunk) => (body += chunk));
  req.on("end", () => {
    log({ event: "request", method: req.method, url: req.url, body });
    res.end();
  });
});
server.listen(socket);
setTimeout(() => process.exit(3), Number(process.env.FAKE_GVPROXY_LIFETIME_MS ?? 1500));
