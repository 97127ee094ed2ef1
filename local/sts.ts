import { createHash, randomBytes } from "node:crypto";
import type { CallRecord } from "./call-log";
import { bytesReply, requestId, type WireReply, type WireRequest } from "./wire";

const STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";
const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** Who signed a request, as far as this endpoint knows. */
export interface Identity {
  accessKeyId: string;
  /** Known secret, used to verify signatures; undefined for static keys not listed in the endpoint options. */
  secretAccessKey?: string;
  /** Required on requests signed with keys issued by AssumeRole, as in AWS. */
  sessionToken?: string;
  /** Caller ARN as GetCallerIdentity and IAM denial messages print it. */
  arn: string;
  /** Role ARN for assumed-role keys, else the IAM user ARN. Shown as `principal` in the call log. */
  principal: string;
  account: string;
  userId: string;
}

function randomString(length: number, alphabet = UPPER_ALNUM): string {
  const bytes = randomBytes(length);
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[bytes[i] % alphabet.length];
  return out;
}

/** Stable per input, like the unique IDs IAM assigns to users and roles. */
function stableId(prefix: string, seed: string): string {
  const digest = createHash("sha256").update(seed).digest();
  let out = prefix;
  for (let i = 0; out.length < 21; i++) out += UPPER_ALNUM[digest[i] % UPPER_ALNUM.length];
  return out;
}

/** Static keys plus the temporary keys this endpoint has issued, and the roles it refuses to hand out. */
export class IdentityBook {
  private readonly issued = new Map<string, Identity>();
  private readonly denied = new Set<string>();
  /** A Map, because access key IDs come from requests: `constructor` must be an unknown key, not a function. */
  private readonly staticKeys: ReadonlyMap<string, string>;

  constructor(
    private readonly accountId: () => string,
    staticKeys: Record<string, string>,
  ) {
    this.staticKeys = new Map(Object.entries(staticKeys));
  }

  lookup(accessKeyId: string): Identity {
    const issued = this.issued.get(accessKeyId);
    if (issued) return issued;
    const account = this.accountId();
    const arn = `arn:aws:iam::${account}:user/${accessKeyId}`;
    return {
      accessKeyId,
      secretAccessKey: this.staticKeys.get(accessKeyId),
      arn,
      principal: arn,
      account,
      userId: stableId("AIDA", arn),
    };
  }

  deny(roleArn: string): void {
    this.denied.add(roleArn);
  }

  isDenied(roleArn: string): boolean {
    return this.denied.has(roleArn);
  }

  /** Forgets denials; issued keys stay valid so clients holding them keep working. */
  resetDenials(): void {
    this.denied.clear();
  }

  issue(roleArn: string, sessionName: string): Identity {
    const m = ROLE_ARN_RE.exec(roleArn);
    const account = m?.[1] ?? this.accountId();
    const roleName = m?.[2].split("/").pop() ?? "role";
    const identity: Identity = {
      accessKeyId: "ASIA" + randomString(16),
      secretAccessKey: randomBytes(30).toString("base64"),
      sessionToken: randomBytes(48).toString("base64"),
      arn: `arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`,
      principal: roleArn,
      account,
      userId: `${stableId("AROA", roleArn)}:${sessionName}`,
    };
    this.issued.set(identity.accessKeyId, identity);
    return identity;
  }
}

const ROLE_ARN_RE = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(.+)$/;

function xmlEscape(value: string): string {
  return value.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function xmlReply(status: number, xml: string): WireReply {
  return bytesReply(status, Buffer.from(xml), { "content-type": "text/xml" });
}

/** awsQuery error document; the SDK reads the exception name from `Error/Code`. */
export function stsError(status: number, code: string, message: string, type: "Sender" | "Receiver" = "Sender"): WireReply {
  return xmlReply(
    status,
    `<ErrorResponse xmlns="${STS_NS}">\n  <Error>\n    <Type>${type}</Type>\n    <Code>${xmlEscape(code)}</Code>\n` +
      `    <Message>${xmlEscape(message)}</Message>\n  </Error>\n  <RequestId>${requestId()}</RequestId>\n</ErrorResponse>\n`,
  );
}

function result(action: string, inner: string): WireReply {
  return xmlReply(
    200,
    `<${action}Response xmlns="${STS_NS}">\n  <${action}Result>\n${inner}  </${action}Result>\n` +
      `  <ResponseMetadata>\n    <RequestId>${requestId()}</RequestId>\n  </ResponseMetadata>\n</${action}Response>\n`,
  );
}

/** STS (awsQuery): form-encoded POST, XML answers. */
export function handleSts(req: WireRequest, caller: Identity, book: IdentityBook, record: CallRecord): WireReply {
  const form = new URLSearchParams(req.body.toString("utf8"));
  const action = form.get("Action") ?? req.query.get("Action") ?? "";
  record.operation = action || "Unknown";
  switch (action) {
    case "GetCallerIdentity":
      return result(
        action,
        `    <Arn>${xmlEscape(caller.arn)}</Arn>\n    <UserId>${xmlEscape(caller.userId)}</UserId>\n` +
          `    <Account>${caller.account}</Account>\n`,
      );
    case "AssumeRole": {
      const roleArn = form.get("RoleArn") ?? "";
      const sessionName = form.get("RoleSessionName") ?? "";
      if (!ROLE_ARN_RE.test(roleArn)) {
        return stsError(400, "ValidationError", `${roleArn || "RoleArn"} is invalid`);
      }
      if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
        return stsError(
          400,
          "ValidationError",
          `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: ` +
            "Member must satisfy regular expression pattern: [\\w+=,.@-]*",
        );
      }
      if (book.isDenied(roleArn)) {
        return stsError(403, "AccessDenied", `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
      }
      const duration = Number.parseInt(form.get("DurationSeconds") ?? "3600", 10) || 3600;
      const issued = book.issue(roleArn, sessionName);
      const expiration = new Date(Date.now() + duration * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
      return result(
        action,
        "    <Credentials>\n" +
          `      <AccessKeyId>${issued.accessKeyId}</AccessKeyId>\n` +
          `      <SecretAccessKey>${xmlEscape(issued.secretAccessKey ?? "")}</SecretAccessKey>\n` +
          `      <SessionToken>${xmlEscape(issued.sessionToken ?? "")}</SessionToken>\n` +
          `      <Expiration>${expiration}</Expiration>\n` +
          "    </Credentials>\n" +
          "    <AssumedRoleUser>\n" +
          `      <Arn>${xmlEscape(issued.arn)}</Arn>\n` +
          `      <AssumedRoleId>${xmlEscape(issued.userId)}</AssumedRoleId>\n` +
          "    </AssumedRoleUser>\n" +
          "    <PackedPolicySize>0</PackedPolicySize>\n",
      );
    }
    default:
      return stsError(400, "InvalidAction", `Could not find operation ${action || "(none)"} for version 2011-06-15`);
  }
}
