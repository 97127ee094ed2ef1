import { own } from "./catalog";
import type { CatalogSnapshot, QuotaFact, RegionFacts } from "./catalog-snapshot";

/** One change between two snapshots of a region, for the sync's summary. */
export type CatalogChange =
  | { readonly kind: "region-added"; readonly region: string }
  | { readonly kind: "model-added" | "model-gone"; readonly region: string; readonly modelId: string }
  | { readonly kind: "lifecycle"; readonly region: string; readonly modelId: string; readonly from: string; readonly to: string }
  | { readonly kind: "profile-added" | "profile-removed"; readonly region: string; readonly profileId: string }
  | {
      readonly kind: "quota";
      readonly region: string;
      /** The model, or `(account)` for a quota of the whole region. */
      readonly modelId: string;
      /** e.g. `geo TPM`, `TPD`, `cross-model TPD`. */
      readonly quota: string;
      readonly from?: Pick<QuotaFact, "code" | "value">;
      readonly to?: Pick<QuotaFact, "code" | "value">;
    };

/** What changed in `regions` from `previous` (undefined: no snapshot yet) to `next`, in a stable order. */
export function snapshotChanges(previous: CatalogSnapshot | undefined, next: CatalogSnapshot, regions: readonly string[]): CatalogChange[] {
  const changes: CatalogChange[] = [];
  for (const region of [...regions].sort()) {
    const after = own(next.regions, region);
    if (!after) continue;
    const before = previous && own(previous.regions, region);
    if (!before) {
      changes.push({ kind: "region-added", region });
      continue;
    }
    changes.push(...regionChanges(region, before, after));
  }
  return changes;
}

function regionChanges(region: string, before: RegionFacts, after: RegionFacts): CatalogChange[] {
  const out: CatalogChange[] = [];
  const keys = (a: object, b: object) => [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const id of keys(before.models, after.models)) {
    const b = own(before.models, id);
    const a = own(after.models, id);
    if (!b) out.push({ kind: "model-added", region, modelId: id });
    else if (!a) out.push({ kind: "model-gone", region, modelId: id });
    else if (a.lifecycle.status !== b.lifecycle.status) out.push({ kind: "lifecycle", region, modelId: id, from: b.lifecycle.status, to: a.lifecycle.status });
  }
  for (const id of keys(before.profiles, after.profiles)) {
    const b = own(before.profiles, id);
    const a = own(after.profiles, id);
    if (!b) out.push({ kind: "profile-added", region, profileId: id });
    else if (!a) out.push({ kind: "profile-removed", region, profileId: id });
  }
  for (const id of keys(before.quotas, after.quotas)) {
    const b = own(before.quotas, id) ?? {};
    const a = own(after.quotas, id) ?? {};
    for (const way of ["geo", "global", "on-demand"] as const)
      for (const metric of ["tpm", "rpm"] as const) {
        const from = b[way]?.[metric];
        const to = a[way]?.[metric];
        if (from?.code === to?.code && from?.value === to?.value) continue;
        out.push(quotaDelta(region, id, `${way} ${metric.toUpperCase()}`, from, to));
      }
    if (b.tpd?.code !== a.tpd?.code || b.tpd?.value !== a.tpd?.value) out.push(quotaDelta(region, id, "TPD", b.tpd, a.tpd));
  }
  const crossBefore = before.accountQuotas?.crossModelTpd;
  const crossAfter = after.accountQuotas?.crossModelTpd;
  if (crossBefore?.code !== crossAfter?.code || crossBefore?.value !== crossAfter?.value) out.push(quotaDelta(region, "(account)", "cross-model TPD", crossBefore, crossAfter));
  return out;
}

function quotaDelta(region: string, modelId: string, quota: string, from: QuotaFact | undefined, to: QuotaFact | undefined): CatalogChange {
  return { kind: "quota", region, modelId, quota, ...(from ? { from: { code: from.code, value: from.value } } : {}), ...(to ? { to: { code: to.code, value: to.value } } : {}) };
}

const n = (v: number) => v.toLocaleString("en-US");

/**
 * Readable summary lines, one change kind per line with its regions folded together:
 * `+ model anthropic.claude-opus-6 (us-east-1, us-west-2)`, `~ lifecycle anthropic.x ACTIVE -> LEGACY (us-east-1)`.
 */
export function changeSummary(changes: readonly CatalogChange[]): string[] {
  const folded = new Map<string, string[]>();
  const add = (line: string, region: string) => folded.set(line, [...(folded.get(line) ?? []), region]);
  for (const c of changes) {
    switch (c.kind) {
      case "region-added":
        add("+ region (first sync)", c.region);
        break;
      case "model-added":
        add(`+ model ${c.modelId}`, c.region);
        break;
      case "model-gone":
        add(`- model ${c.modelId}`, c.region);
        break;
      case "lifecycle":
        add(`~ lifecycle ${c.modelId} ${c.from} -> ${c.to}`, c.region);
        break;
      case "profile-added":
        add(`+ profile ${c.profileId}`, c.region);
        break;
      case "profile-removed":
        add(`- profile ${c.profileId}`, c.region);
        break;
      case "quota": {
        const what = !c.from ? `+ quota ${c.modelId} ${c.quota} ${c.to!.code} (applied ${n(c.to!.value)})` : !c.to ? `- quota ${c.modelId} ${c.quota} ${c.from.code}` : quotaChange(c.modelId, c.quota, c.from, c.to);
        add(what, c.region);
        break;
      }
    }
  }
  return [...folded].map(([line, regions]) => `${line} (${regions.join(", ")})`);
}

function quotaChange(modelId: string, quota: string, from: Pick<QuotaFact, "code" | "value">, to: Pick<QuotaFact, "code" | "value">): string {
  const parts = [...(from.code !== to.code ? [`code ${from.code} -> ${to.code}`] : []), ...(from.value !== to.value ? [`applied ${n(from.value)} -> ${n(to.value)}`] : [])];
  return `~ quota ${modelId} ${quota} ${parts.join(", ")}`;
}
