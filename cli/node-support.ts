// The AWS SDK for JavaScript v3 warns on Node < 22 with an 8-line NodeVersionSupportWarning, once per module
// registry: SDK releases after the first week of January 2027 require Node >= 22
// (node_modules/@aws-sdk/core/dist-es/submodules/client/emitWarningIfUnsupportedVersion.js, https://a.co/c895JFp).
// Commands say it once per run, in one line with what to do, and quiet the SDK's own warning.

/** The Node major the AWS SDK supports from its January 2027 releases on: the project's supported baseline. */
export const SUPPORTED_NODE_MAJOR = 22;

/** Set to "true" to silence the notice (the SDK's own switch, so one variable quiets both). */
export const NODE_WARNING_SWITCH = "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED";

/** The one-line notice for a Node older than the baseline, or undefined when there is nothing to say. */
export function nodeSupportNotice(version: string): string | undefined {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1]);
  if (!Number.isInteger(major) || major >= SUPPORTED_NODE_MAJOR) return undefined;
  return (
    `note: Node ${version} runs this command; AWS SDK releases after the first week of January 2027 need Node >= ${SUPPORTED_NODE_MAJOR} ` +
    `-> install Node ${SUPPORTED_NODE_MAJOR} or 24 (bash .ci/node-runtime ${SUPPORTED_NODE_MAJOR} fetches one), or set ${NODE_WARNING_SWITCH}=true to silence this`
  );
}

/**
 * Says once per run, before the command's first AWS SDK client, what to do on a Node older than the baseline, and sets
 * the SDK's switch in `env`: that makes it once (a later call, the SDK and a child command that inherits the
 * environment stay quiet). Nothing when the switch is already "true".
 */
export function noteNodeSupport(write: (line: string) => void, env: NodeJS.ProcessEnv = process.env, version: string = process.version): void {
  if (env[NODE_WARNING_SWITCH] === "true") return;
  const notice = nodeSupportNotice(version);
  if (notice === undefined) return;
  write(notice);
  env[NODE_WARNING_SWITCH] = "true";
}
