import { createHash, createHmac } from "node:crypto";

/*
 * The IAM authentication token of an ElastiCache user: a SigV4 presigned `connect` request for the cache and user,
 * valid 15 minutes, sent as the AUTH password (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html,
 * "Connecting": GET http://<cacheName>/?Action=connect&User=<userId>[&ResourceType=ServerlessCache], signed for
 * service `elasticache` in the cache's Region, without the scheme). Signed here with node:crypto so the client package
 * needs no signing library of its own (SigV4: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html);
 * the test checks it against the SDK's own signer (@smithy/signature-v4).
 */

/** AWS credentials as the SDK's providers give them. */
export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** How long a token may be used to authenticate: ElastiCache accepts at most 15 minutes. */
export const IAM_TOKEN_TTL_SECONDS = 900;

/** RFC 3986 encoding, as SigV4 requires (encodeURIComponent leaves !'()* alone). */
function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const sha256Hex = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");
const hmac = (key: string | Buffer, s: string) => createHmac("sha256", key).update(s, "utf8").digest();

/** `host/path?query` presigned with SigV4 for `service` in `region` (GET, host header only, an empty body). */
export function presignGet(args: {
  readonly host: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly service: string;
  readonly region: string;
  readonly credentials: SigningCredentials;
  readonly expiresSeconds: number;
  readonly now: Date;
}): string {
  const { credentials: c } = args;
  const amzDate = args.now.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${args.region}/${args.service}/aws4_request`;
  const query: Record<string, string> = {
    ...args.query,
    "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
    "X-Amz-Credential": `${c.accessKeyId}/${scope}`,
    "X-Amz-Date": amzDate,
    "X-Amz-Expires": String(args.expiresSeconds),
    ...(c.sessionToken ? { "X-Amz-Security-Token": c.sessionToken } : {}),
    "X-Amz-SignedHeaders": "host",
  };
  const canonicalQuery = Object.keys(query)
    .map((k) => [uriEncode(k), uriEncode(query[k])] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const canonicalRequest = ["GET", args.path, canonicalQuery, `host:${args.host}\n`, "host", sha256Hex("")].join("\n");
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256Hex(canonicalRequest)].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${c.secretAccessKey}`, day), args.region), args.service), "aws4_request");
  const signature = createHmac("sha256", key).update(toSign, "utf8").digest("hex");
  return `${args.host}${args.path}?${canonicalQuery}&X-Amz-Signature=${signature}`;
}

/** The AUTH password of `userId` on the serverless cache `cacheName` in `region`, valid IAM_TOKEN_TTL_SECONDS from `now`. */
export function elastiCacheIamToken(args: { readonly cacheName: string; readonly userId: string; readonly region: string; readonly credentials: SigningCredentials; readonly now: Date }): string {
  return presignGet({
    // ElastiCache stores cache names in lowercase; the token names the cache as the service knows it.
    host: args.cacheName.toLowerCase(),
    path: "/",
    query: { Action: "connect", User: args.userId, ResourceType: "ServerlessCache" },
    service: "elasticache",
    region: args.region,
    credentials: args.credentials,
    expiresSeconds: IAM_TOKEN_TTL_SECONDS,
    now: args.now,
  });
}
