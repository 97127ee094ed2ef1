import type { EnvironmentConfig } from "./environment-config";
import { effectiveRetentionDays } from "./invocation-logging-config";

/**
 * What one region stack switches on of the controls a security review asks about, in one place: synth prints it, the
 * manifest carries it to smoke's report. Every field says on or off; none is inferred from another.
 */
export interface SecurityPosture {
  /** The organization guard's SCP: "off", "created" by the account stack, or "written" to a file for the management account. */
  readonly organizationGuard: "off" | "created" | "written";
  readonly invocationLogging: {
    readonly enabled: boolean;
    readonly destinations: readonly string[];
    /** Payload kinds delivered; empty for metadata only. */
    readonly payloads: readonly string[];
    readonly retentionDays: number;
    readonly alertOnChange: boolean;
  };
  readonly privateEndpoints: { readonly enabled: boolean; readonly services: readonly string[]; readonly privateDns: boolean };
  /** Workload policies require the region's bedrock-runtime endpoint (aws:SourceVpce). */
  readonly sourceVpce: boolean;
  /** "aws" keys, a key the stack "created", or an "existing" one (keyArn). */
  readonly kms: { readonly keys: "aws" | "created" | "existing"; readonly keyArn?: string };
}

/** The posture of `region`'s stack of a validated config. */
export function securityPosture(c: EnvironmentConfig, region: string): SecurityPosture {
  const g = c.organizationGuard;
  const l = c.invocationLogging;
  const p = c.privateEndpoints;
  const keys = c.encryption.keys;
  const keyArn = keys === "existing" && Object.hasOwn(c.encryption.keyArns, region) ? c.encryption.keyArns[region] : undefined;
  return {
    organizationGuard: !g.enabled ? "off" : g.managementAccount ? "created" : "written",
    invocationLogging: {
      enabled: l.enabled,
      destinations: l.enabled ? [...l.destinations] : [],
      payloads: l.enabled && l.payloads.enabled ? [...l.payloads.kinds] : [],
      retentionDays: effectiveRetentionDays(l),
      alertOnChange: l.enabled && l.alertOnChange,
    },
    privateEndpoints: { enabled: p.enabled, services: p.enabled ? [...p.services] : [], privateDns: p.enabled && p.privateDns },
    sourceVpce: p.enabled && p.requireSourceVpce,
    kms: { keys: keys === "create" ? "created" : keys, ...(keyArn ? { keyArn } : {}) },
  };
}

const DESTINATION_NAMES: Readonly<Record<string, string>> = { cloudwatch: "CloudWatch Logs", s3: "S3" };

/** The posture as `name: on/off` phrases, in a fixed order (synth's summary and smoke's configuration section). */
export function postureItems(p: SecurityPosture): string[] {
  const l = p.invocationLogging;
  const logging = l.enabled
    ? `invocation logging on (${l.payloads.length ? `payloads: ${l.payloads.join(", ")}` : "metadata only"}; ${l.destinations.map((d) => DESTINATION_NAMES[d] ?? d).join(" + ")}; ${l.retentionDays} d${l.alertOnChange ? "; change alert" : ""})`
    : "invocation logging off";
  const e = p.privateEndpoints;
  const endpoints = e.enabled ? `private endpoints on (${e.services.join(", ")}${e.privateDns ? "; private DNS" : ""})` : "private endpoints off";
  const kms = p.kms.keys === "aws" ? "KMS: AWS managed keys" : p.kms.keys === "created" ? "KMS: customer managed key (created, rotation on)" : `KMS: customer managed key (existing${p.kms.keyArn ? ` ${p.kms.keyArn}` : ""})`;
  const guard = p.organizationGuard === "off" ? "organization guard SCP off" : p.organizationGuard === "created" ? "organization guard SCP on (created)" : "organization guard SCP on (written for the management account)";
  return [guard, logging, endpoints, `aws:SourceVpce ${p.sourceVpce ? "required" : "off"}`, kms];
}
