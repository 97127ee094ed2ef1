import { Hash } from "@smithy/core/serde";
import { SignatureV4 } from "@smithy/signature-v4";
import { elastiCacheIamToken, IAM_TOKEN_TTL_SECONDS, presignGet } from "../../client/elasticache-token";

// The IAM token the client signs itself (node:crypto) against the SDK's own signer on the same request: a differing
// byte anywhere (canonical query order, encoding, scope, session token) changes the signature.

const NOW = new Date("2026-12-06T12:34:56.789Z");
const KEYS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };

async function sdkPresign(host: string, query: Record<string, string>, region: string, credentials: typeof KEYS & { sessionToken?: string }): Promise<string> {
  const signer = new SignatureV4({ service: "elasticache", region, credentials, sha256: Hash.bind(null, "sha256"), uriEscapePath: true, applyChecksum: false });
  const signed = await signer.presign({ method: "GET", protocol: "http:", hostname: host, path: "/", query, headers: { host } }, { expiresIn: IAM_TOKEN_TTL_SECONDS, signingDate: NOW });
  const q = signed.query as Record<string, string>;
  return Object.keys(q)
    .sort()
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(q[k])}`)
    .join("&");
}

/** The token's query, its parameters in a fixed order (both sides encode the same way). */
function queryOf(token: string): string {
  const q = new URLSearchParams(token.slice(token.indexOf("?") + 1));
  return [...q.keys()]
    .sort()
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(q.get(k)!)}`)
    .join("&");
}

describe("elastiCacheIamToken", () => {
  it.each([
    ["long-term keys", KEYS],
    ["a session (its token signed in)", { ...KEYS, sessionToken: "FwoGZXIvYXdzE+session/token==" }],
  ])("matches the SDK's presigned request with %s", async (_case, credentials) => {
    const token = elastiCacheIamToken({ cacheName: "bedrock-prod-fleet", userId: "bedrock-prod-router", region: "eu-west-1", credentials, now: NOW });
    expect(token.startsWith("bedrock-prod-fleet/?")).toBe(true);
    expect(token).not.toMatch(/^https?:/);
    const sdk = await sdkPresign("bedrock-prod-fleet", { Action: "connect", User: "bedrock-prod-router", ResourceType: "ServerlessCache" }, "eu-west-1", credentials);
    expect(queryOf(token)).toBe(sdk);
    expect(new URLSearchParams(token.split("?")[1]).get("X-Amz-Expires")).toBe("900");
  });

  it("a different secret, region or user changes the signature", () => {
    const base = { cacheName: "c", userId: "u", region: "us-east-1", credentials: KEYS, now: NOW };
    const sig = (t: string) => new URLSearchParams(t.split("?")[1]).get("X-Amz-Signature");
    const one = sig(elastiCacheIamToken(base));
    for (const other of [{ ...base, credentials: { ...KEYS, secretAccessKey: "x" } }, { ...base, region: "us-west-2" }, { ...base, userId: "v" }]) expect(sig(elastiCacheIamToken(other))).not.toBe(one);
  });

  it("encodes reserved characters as SigV4 requires (RFC 3986)", async () => {
    const query = { Action: "connect", User: "a b!'()*~" };
    const mine = presignGet({ host: "h", path: "/", query, service: "elasticache", region: "us-east-1", credentials: KEYS, expiresSeconds: 900, now: NOW });
    expect(queryOf(mine)).toBe(await sdkPresign("h", query, "us-east-1", KEYS));
  });
});
