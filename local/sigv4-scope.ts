import { createHash } from "node:crypto";
import { Hash } from "@smithy/core/serde";
import { SignatureV4 } from "@smithy/signature-v4";
import type { WireRequest } from "./wire";

/** The parts of a SigV4 `Authorization` header the endpoint routes and verifies on. */
export interface SigV4Scope {
  accessKeyId: string;
  /** yyyymmdd from the credential scope. */
  date: string;
  /** Signing region: the only place one shared endpoint learns which region a client believes it is calling. */
  region: string;
  /** Signing name: bedrock, appconfig, servicequotas, sts. */
  service: string;
  signedHeaders: string[];
  signature: string;
}

const AUTH_RE =
  /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-f]{64})\s*$/i;

export function parseAuthorization(header: string | undefined): SigV4Scope | undefined {
  if (!header) return undefined;
  const m = AUTH_RE.exec(header.trim());
  if (!m) return undefined;
  return {
    accessKeyId: m[1],
    date: m[2],
    region: m[3],
    service: m[4],
    signedHeaders: m[5].toLowerCase().split(";"),
    signature: m[6].toLowerCase(),
  };
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/**
 * Recomputes the signature with the same library the SDK uses. Only the headers the client listed as signed are
 * fed back in, so headers added or dropped by the transport after signing cannot cause false mismatches.
 */
export async function verifySignature(
  req: WireRequest,
  scope: SigV4Scope,
  credentials: { secretAccessKey: string; sessionToken?: string },
): Promise<SignatureCheck> {
  const amzDate = req.headers["x-amz-date"];
  const signingDate = amzDate ? parseAmzDate(amzDate) : undefined;
  if (!signingDate) return { ok: false, reason: "missing or malformed X-Amz-Date" };

  const declaredHash = req.headers["x-amz-content-sha256"];
  if (declaredHash && declaredHash !== "UNSIGNED-PAYLOAD") {
    const actual = createHash("sha256").update(req.body).digest("hex");
    if (actual !== declaredHash) return { ok: false, reason: "x-amz-content-sha256 does not match the body" };
  }

  // Null prototypes: header names and query keys are client strings (`constructor`, `__proto__` are just names).
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const name of scope.signedHeaders) {
    const value = req.headers[name];
    if (value === undefined) return { ok: false, reason: `signed header ${name} not present` };
    headers[name] = value;
  }
  const query: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const [k, v] of req.query) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  const signer = new SignatureV4({
    service: scope.service,
    region: scope.region,
    credentials: { accessKeyId: scope.accessKeyId, ...credentials },
    sha256: Hash.bind(null, "sha256"),
    applyChecksum: scope.signedHeaders.includes("x-amz-content-sha256"),
  });
  const signed = await signer.sign(
    { method: req.method, protocol: "http:", hostname: "localhost", path: req.path, query, headers, body: req.body },
    { signingDate },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers["authorization"] ?? ""))?.[1];
  return expected === scope.signature ? { ok: true } : { ok: false, reason: "signature mismatch" };
}

/** How far a signing time may be from the server clock before AWS refuses it. */
export const SIGNATURE_TOLERANCE_MS = 15 * 60 * 1000;

const amz = (ms: number): string => new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");

/**
 * AWS's refusal of a signature made more than 15 minutes before or after its clock, in its words (e.g.
 * https://github.com/upmc-enterprises/registry-creds/issues/24); undefined when the time is acceptable or absent
 * (an absent or malformed X-Amz-Date fails signature verification instead).
 */
export function signingTimeProblem(amzDate: string | undefined, now: number): string | undefined {
  const signed = amzDate ? parseAmzDate(amzDate)?.getTime() : undefined;
  if (signed === undefined) return undefined;
  if (signed < now - SIGNATURE_TOLERANCE_MS) {
    return `Signature expired: ${amzDate} is now earlier than ${amz(now - SIGNATURE_TOLERANCE_MS)} (${amz(now)} - 15 min.)`;
  }
  if (signed > now + SIGNATURE_TOLERANCE_MS) {
    return `Signature not yet current: ${amzDate} is still later than ${amz(now + SIGNATURE_TOLERANCE_MS)} (${amz(now)} + 15 min.)`;
  }
  return undefined;
}

function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}
