import { readFileSync } from "node:fs";

/*
 * A foreground server stops when whoever started it is gone. `npm run local-endpoint` runs the endpoint under
 * `sh -c`: a SIGTERM to npm can end npm and the shell without reaching the endpoint (re-parented, it kept its port),
 * and a SIGINT sent to npm alone reaches only the shell, which waits for its child for ever while npm exits. So the
 * endpoint watches its parent and, where /proc tells it (Linux), its parent's parent: when either changes, the
 * process that started it has exited.
 */

/** The parent of `pid` from /proc/<pid>/stat (`pid (comm) state ppid ...`); undefined where /proc is not there. */
export function parentPid(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    return Number.isInteger(ppid) ? ppid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Calls `onGone` once when this process's parent or grandparent exits (checked every `everyMs`, default 500 ms). The
 * timer does not keep the process alive. Returns a function that stops watching.
 */
export function watchStarter(onGone: (who: string) => void, everyMs = 500): () => void {
  const parent = process.ppid;
  const grandparent = parentPid(parent);
  let fired = false;
  const timer = setInterval(() => {
    if (fired) return;
    let who: string | undefined;
    if (process.ppid !== parent) who = "its parent process exited";
    else if (grandparent !== undefined && grandparent > 1 && parentPid(parent) !== grandparent) who = "the process that started it (e.g. npm) exited";
    if (who) {
      fired = true;
      onGone(who);
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
