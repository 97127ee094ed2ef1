import type { AppConfigDataClient } from "@aws-sdk/client-appconfigdata";
import type { RoutingDocument } from "../core/runtime";
import type { Clock } from "./clock";
import { compileDocument, type CompiledDocument, type RoutePlan } from "./route-plan";
import type { DocumentStatus } from "./router-api";
import { ROUTER_DEFAULTS, type RouterOptions, type Settings } from "./router-options";
import { RoutingError, routerClassification } from "./routing-error";
import { RoutingSource } from "./routing-source";

/**
 * The routing document a router serves from: a fixed one, or AppConfig's, polled lazily on calls once the poll
 * interval has elapsed (never more often). A failed or invalid fetch keeps the last good document; without any, the
 * first fetch is retried after bootstrapRetryMs.
 */
export class DocumentHolder {
  private readonly source?: RoutingSource;
  private held?: CompiledDocument;
  private polling?: Promise<void>;
  private nextBootstrapAt = 0;
  private current: DocumentStatus;
  private readonly workload?: string;

  constructor(
    options: Pick<RouterOptions, "region" | "appConfig" | "document" | "workload">,
    dataClient: AppConfigDataClient | undefined,
    private readonly clock: Clock,
    private readonly settings: Pick<Settings, "pollTimeoutMs" | "bootstrapRetryMs">,
  ) {
    this.workload = options.workload;
    if (options.appConfig && dataClient) {
      const { pollIntervalSeconds, ...ref } = options.appConfig;
      this.source = new RoutingSource(dataClient, ref, pollIntervalSeconds ?? ROUTER_DEFAULTS.pollIntervalSeconds, () => this.clock.now(), (doc) =>
        doc.region === options.region ? undefined : `document is for region ${doc.region}, this router serves ${options.region}`,
      );
      this.current = { source: "appconfig", loaded: false, rejected: 0 };
    } else {
      this.held = compileDocument(options.document as RoutingDocument, this.workload);
      this.current = { source: "static", loaded: true, updatedAt: this.clock.now(), rejected: 0 };
    }
  }

  get status(): DocumentStatus {
    return this.current;
  }

  /** The compiled document held now, if any (no poll). */
  get compiled(): CompiledDocument | undefined {
    return this.held;
  }

  /** Polls if the interval has elapsed and returns the status. */
  async refresh(): Promise<DocumentStatus> {
    if (this.pollDue()) await this.poll();
    return this.current;
  }

  /** The route for `task`; polls first when the interval has elapsed. Throws RoutingError for unknown tasks. */
  async plan(task: string): Promise<RoutePlan> {
    if (this.pollDue()) await this.poll();
    const compiled = this.held;
    if (!compiled) {
      const last = this.current.lastPoll;
      throw new RoutingError(
        `no routing document yet${last ? ` (last fetch: ${last.result}${last.detail ? `: ${last.detail}` : ""})` : ""}`,
        routerClassification("configuration", "no-routing-document", "deploy the routing document (cdktf deploy) and check the AppConfig application/environment/profile names and the appconfig:StartConfigurationSession / GetLatestConfiguration permissions"),
        { task, attempts: 0, routerCause: "no-routing-document" },
      );
    }
    if (compiled.workloadProblem) {
      const p = compiled.workloadProblem;
      throw new RoutingError(p.message, routerClassification("configuration", p.cause, p.hint), { task, attempts: 0, routerCause: p.cause });
    }
    const plan = compiled.plans.get(task);
    if (!plan && compiled.otherTasks.has(task)) {
      const mine = [...(compiled.document.workloads?.[this.workload!]?.routes ?? compiled.plans.keys())].join(", ") || "(none)";
      throw new RoutingError(`workload "${this.workload}" may not call task "${task}"; its routes: ${mine}`, routerClassification("configuration", "unknown-workload", `call one of ${mine}, or add "${task}" to the workload's routes in config/<env>.json and deploy`), {
        task,
        attempts: 0,
        routerCause: "unknown-workload",
      });
    }
    if (!plan) {
      const known = [...compiled.plans.keys()].join(", ") || "(none)";
      throw new RoutingError(`unknown task "${task}"; routes: ${known}`, routerClassification("configuration", "unknown-task", `use one of the routed tasks (${known}) or add a route in config/<env>.json`), {
        task,
        attempts: 0,
        routerCause: "unknown-task",
      });
    }
    if (plan.candidates.length === 0) {
      throw new RoutingError(`every model of route "${task}" is disabled`, routerClassification("configuration", "no-enabled-model", `enable one of ${[plan.route.primary, ...plan.route.fallbacks].join(", ")} with npm run toggle -- --enable <model>`), {
        task,
        attempts: 0,
        routerCause: "no-enabled-model",
      });
    }
    return plan;
  }

  private pollDue(): boolean {
    if (!this.source) return false;
    return this.held ? this.source.due : this.clock.now() >= this.nextBootstrapAt;
  }

  /** One poll at a time: concurrent calls share the one in flight. */
  private poll(): Promise<void> {
    if (!this.polling) {
      this.polling = this.pollOnce().finally(() => (this.polling = undefined));
    }
    return this.polling;
  }

  private async pollOnce(): Promise<void> {
    const source = this.source!;
    // The first fetch may also resolve credentials and open the connection: give it more room.
    const signal = AbortSignal.timeout(this.held ? this.settings.pollTimeoutMs : Math.max(this.settings.pollTimeoutMs, ROUTER_DEFAULTS.initialPollTimeoutMs));
    const r = await source.poll(signal);
    const at = this.clock.now();
    const s = this.current;
    switch (r.kind) {
      case "updated":
        this.held = compileDocument(r.document, this.workload);
        this.current = { ...s, loaded: true, versionLabel: r.versionLabel, updatedAt: at, lastPoll: { at, result: r.kind } };
        break;
      case "unchanged":
        this.current = { ...s, lastPoll: { at, result: r.kind } };
        break;
      case "invalid":
        this.current = { ...s, rejected: s.rejected + 1, lastPoll: { at, result: r.kind, detail: r.reason } };
        break;
      case "failed":
        this.current = { ...s, lastPoll: { at, result: r.kind, detail: `${r.error.name}: ${r.error.message}` } };
        break;
    }
    if (!this.held) this.nextBootstrapAt = at + this.settings.bootstrapRetryMs;
  }
}
