/**
 * jest setupFilesAfterEnv, active only when BEDROCK_TEST_PROFILE names a file (scripts/test-profile.ts sets it): appends
 * one JSON line per test file with its wall time and CPU time, split into the worker's own (module loading, transform,
 * the tests) and that of the child processes it started and reaped (commands, servers). The children's share
 * comes from /proc/self/stat (cutime, cstime; see proc(5)), which Node does not expose otherwise.
 */
const { appendFileSync, readFileSync } = require("node:fs");

const TICKS_PER_S = 100; // USER_HZ on Linux (sysconf(_SC_CLK_TCK)); proc(5)

/** CPU seconds of reaped children (user + system), or 0 where /proc is missing. */
function childrenCpuS() {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // field 3 onwards; the name may hold spaces
    return (Number(fields[13]) + Number(fields[14])) / TICKS_PER_S; // fields 16 and 17: cutime, cstime
  } catch {
    return 0;
  }
}

const file = process.env.BEDROCK_TEST_PROFILE;
if (file) {
  const start = { wall: performance.now(), cpu: process.cpuUsage(), children: childrenCpuS() };
  afterAll(() => {
    const cpu = process.cpuUsage(start.cpu);
    const line = {
      file: expect.getState().testPath,
      wallS: (performance.now() - start.wall) / 1000,
      selfCpuS: (cpu.user + cpu.system) / 1e6,
      childCpuS: childrenCpuS() - start.children,
      pid: process.pid,
    };
    appendFileSync(file, JSON.stringify(line) + "\n");
  });
}
