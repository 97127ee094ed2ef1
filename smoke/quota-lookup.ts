import { GetServiceQuotaCommand, ListServiceQuotasCommand, type ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import type { ManifestModel } from "../core/routing";
import { DeadlineExceeded } from "../cli/deadline";
import { listAllPages } from "../cli/paged-listing";
import { type ListedQuota, selectDailyQuota, selectTpmQuota } from "./quota-figures";

/** An applied quota and how it was found. */
export interface AppliedQuota extends ListedQuota {
  readonly source: "GetServiceQuota" | "ListServiceQuotas";
}

export type QuotaLookupResult =
  | { readonly kind: "found"; readonly quota: AppliedQuota }
  | { readonly kind: "not-found"; readonly searched: string }
  | { readonly kind: "error"; readonly error: unknown; readonly action: string };

const SERVICE = "bedrock";

/**
 * Applied quotas of one region (tokens per minute and per day of each model, the account's cross-model tokens per day),
 * each read once however many routes use it: GetServiceQuota by the manifest's code, falling back to a
 * ListServiceQuotas name match when the code is unknown or gone (codes differ between catalog snapshots).
 * DeadlineExceeded propagates; other errors become a result.
 */
export class QuotaLookup {
  private readonly cache = new Map<string, Promise<QuotaLookupResult>>();
  private listing?: Promise<ListedQuota[]>;

  constructor(
    private readonly client: ServiceQuotasClient,
    /** Sends one call with the run's timeout and deadline. */
    private readonly send: <T>(call: (abortSignal: AbortSignal) => Promise<T>) => Promise<T>,
  ) {}

  /** The model's tokens-per-minute quota for the way the stack invokes it. */
  lookup(model: ManifestModel): Promise<QuotaLookupResult> {
    return this.cached(`tpm|${model.tpmQuotaCode ?? ""}|${model.quotaName}|${model.kind}`, () =>
      this.find(model.tpmQuotaCode, (listed) => selectTpmQuota(listed, model.quotaName, model.kind), `names containing "${model.quotaName}" and "tokens per minute"`),
    );
  }

  /** The model's tokens-per-day quota ("Model invocation max tokens per day for <model>"). */
  lookupDaily(model: ManifestModel): Promise<QuotaLookupResult> {
    return this.cached(`tpd|${model.tpdQuotaCode ?? ""}|${model.quotaName}`, () =>
      this.find(model.tpdQuotaCode, (listed) => selectDailyQuota(listed, model.quotaName), `names containing "${model.quotaName}" and "tokens per day"`),
    );
  }

  /** The account's "Cross-Model Max Tokens Per Day" of the region. */
  lookupCrossModel(code: string | undefined): Promise<QuotaLookupResult> {
    return this.cached(`cross|${code ?? ""}`, () => this.find(code, (listed) => selectDailyQuota(listed), `the name "Cross-Model Max Tokens Per Day"`));
  }

  private cached(key: string, find: () => Promise<QuotaLookupResult>): Promise<QuotaLookupResult> {
    let p = this.cache.get(key);
    if (!p) this.cache.set(key, (p = find()));
    return p;
  }

  /** GetServiceQuota by the code when there is one, else (or when it is gone) a ListServiceQuotas name match. */
  private async find(code: string | undefined, select: (listed: readonly ListedQuota[]) => ListedQuota | undefined, byName: string): Promise<QuotaLookupResult> {
    let action = "servicequotas:GetServiceQuota";
    try {
      if (code) {
        try {
          const r = await this.send((abortSignal) => this.client.send(new GetServiceQuotaCommand({ ServiceCode: SERVICE, QuotaCode: code }), { abortSignal }));
          const q = r.Quota;
          if (q?.Value !== undefined) return { kind: "found", quota: { code: q.QuotaCode ?? code, name: q.QuotaName ?? "", value: q.Value, source: "GetServiceQuota" } };
        } catch (e) {
          if ((e as Error).name !== "NoSuchResourceException") throw e;
        }
      }
      action = "servicequotas:ListServiceQuotas";
      const listed = select(await this.list());
      if (listed) return { kind: "found", quota: { ...listed, source: "ListServiceQuotas" } };
      return { kind: "not-found", searched: `${code ? `code ${code}, then ` : ""}${byName}` };
    } catch (error) {
      if (error instanceof DeadlineExceeded) throw error;
      return { kind: "error", error, action };
    }
  }

  /** Every bedrock quota of the region, fetched once and shared by all name matches. */
  private list(): Promise<ListedQuota[]> {
    if (!this.listing) {
      this.listing = (async () => {
        // A page token that comes back, or a listing past the page ceiling, fails the lookup (cli/paged-listing.ts).
        const { items } = await listAllPages((NextToken) => this.send((abortSignal) => this.client.send(new ListServiceQuotasCommand({ ServiceCode: SERVICE, NextToken, MaxResults: 100 }), { abortSignal })).then((p) => ({ items: p.Quotas, nextToken: p.NextToken })));
        const out: ListedQuota[] = [];
        for (const q of items) if (q.QuotaCode && q.QuotaName && typeof q.Value === "number") out.push({ code: q.QuotaCode, name: q.QuotaName, value: q.Value });
        return out;
      })();
    }
    return this.listing;
  }
}
