import { AppConfigDataClient, GetLatestConfigurationCommand, StartConfigurationSessionCommand } from "@aws-sdk/client-appconfigdata";
import { parseRoutingDocument, type RoutingDocument } from "../core/runtime";

/** Names or IDs of the AppConfig routing profile (AppConfigData accepts either). */
export interface RoutingProfileRef {
  readonly application: string;
  readonly environment: string;
  readonly profile: string;
}

/** Outcome of one poll. */
export type PollResult =
  | { readonly kind: "updated"; readonly document: RoutingDocument; readonly versionLabel?: string }
  | { readonly kind: "unchanged" }
  | { readonly kind: "invalid"; readonly reason: string }
  | { readonly kind: "failed"; readonly error: Error };

/**
 * Reads the routing document with the AppConfigData session/token protocol: one session, each response hands the next
 * token and the minimum poll interval. Keeps the last valid document; an invalid or failed fetch never replaces it.
 */
export class RoutingSource {
  private token?: string;
  private nextPollAt = 0;
  private last?: RoutingDocument;

  constructor(
    private readonly client: AppConfigDataClient,
    private readonly ref: RoutingProfileRef,
    /** Requested minimum poll interval (AppConfig allows 15-86400 s). Default: 45. */
    private readonly pollIntervalSeconds = 45,
    private readonly now: () => number = Date.now,
    /** Extra acceptance check on a schema-valid document (e.g. "is it for my region"); returns a reason to refuse. */
    private readonly accept?: (document: RoutingDocument) => string | undefined,
  ) {}

  /** The last valid document, if any arrived. */
  get current(): RoutingDocument | undefined {
    return this.last;
  }

  /** True when the service's poll interval has elapsed. */
  get due(): boolean {
    return this.now() >= this.nextPollAt;
  }

  /** Fetches once, whatever the interval; callers that poll in a loop check `due` first. */
  async poll(abortSignal?: AbortSignal): Promise<PollResult> {
    try {
      if (!this.token) {
        const s = await this.client.send(
          new StartConfigurationSessionCommand({
            ApplicationIdentifier: this.ref.application,
            EnvironmentIdentifier: this.ref.environment,
            ConfigurationProfileIdentifier: this.ref.profile,
            RequiredMinimumPollIntervalInSeconds: this.pollIntervalSeconds,
          }),
          { abortSignal },
        );
        this.token = s.InitialConfigurationToken;
      }
      const r = await this.client.send(new GetLatestConfigurationCommand({ ConfigurationToken: this.token }), { abortSignal });
      this.token = r.NextPollConfigurationToken;
      this.nextPollAt = this.now() + (r.NextPollIntervalInSeconds ?? this.pollIntervalSeconds) * 1000;
      const body = r.Configuration ? Buffer.from(r.Configuration).toString("utf8") : "";
      if (body.length === 0) return { kind: "unchanged" };
      const parsed = parseRoutingDocument(body);
      if (typeof parsed === "string") return { kind: "invalid", reason: parsed };
      const refused = this.accept?.(parsed);
      if (refused) return { kind: "invalid", reason: refused };
      this.last = parsed;
      return { kind: "updated", document: parsed, versionLabel: r.VersionLabel };
    } catch (error) {
      // A token may be spent or expired after a failure; the next poll starts a fresh session. Wait a full interval
      // before it, so an AppConfigData outage is not hammered by every call.
      this.token = undefined;
      this.nextPollAt = this.now() + this.pollIntervalSeconds * 1000;
      return { kind: "failed", error: error as Error };
    }
  }
}
