/**
 * cdktf captures a complete stack trace for every token and complex attribute it creates (each resource creates
 * several), reading `Error.stack` each time, even when the App is told not to record them (`stackTraces: false` only
 * keeps them out of the metadata). Under ts-node, `Error.prepareStackTrace` is source-map-support's, which maps every
 * frame through the source maps: about 1.3 s of every 6 regions' synth in `npm run bench:scale`, for traces nobody
 * reads. `withPlainStackTraces` runs `build` with V8's own formatting and restores whatever was installed, also when
 * `build` throws (an error thrown meanwhile has an unmapped stack: a bug's, since user errors are refused before any
 * stack is built).
 */
export function withPlainStackTraces<T>(build: () => T): T {
  const installed = Error.prepareStackTrace;
  // Deleting the hook (not assigning undefined, which @types/node does not allow) leaves V8's own formatting.
  delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
  try {
    return build();
  } finally {
    if (installed) Error.prepareStackTrace = installed;
  }
}
