/**
 * `npm run local-endpoint` must free its port when it is told to stop. npm runs the script under `sh -c`, and a
 * SIGTERM to npm ended npm and the shell but not the endpoint, which kept listening as an orphan. Run as a newcomer
 * or a supervisor would: the real npm, the real signal, then the port must refuse connections. (The script now
 * `exec`s, so npm's forwarded signal reaches the endpoint; a SIGINT to npm alone reached only the waiting shell.)
 */
import { spawn } from "node:child_process";
import net from "node:net";
import { ROOT } from "../fixtures";

/** True once nothing accepts connections on the port. */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: "127.0.0.1" });
    s.once("connect", () => (s.destroy(), resolve(false)));
    s.once("error", () => resolve(true));
  });
}

// SIGKILL: npm cannot forward anything; the orphaned endpoint notices (local/parent-watch.ts) and stops itself.
it.each(["SIGTERM", "SIGINT", "SIGKILL"] as const)("%s to `npm run local-endpoint` closes the server and frees the port", async (signal) => {
  const npm = spawn("npm", ["run", "--silent", "local-endpoint", "--", "--port", "0"], { cwd: ROOT, env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  npm.stdout.on("data", (c: Buffer) => (out += c.toString()));
  npm.stderr.on("data", (c: Buffer) => (out += c.toString()));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 90_000);
      npm.stdout.on("data", () => {
        const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
    });
    expect(await refused(port)).toBe(false);
    npm.kill(signal);
    const until = Date.now() + 20_000;
    let free = false;
    while (!free && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 200));
      free = await refused(port);
    }
    expect(free).toBe(true);
  } finally {
    npm.kill("SIGKILL");
  }
}, 150_000);
