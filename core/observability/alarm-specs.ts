import { type Invocation, names, partitionOf } from "../aws";
import type { AlarmConfig, BaselinePlan } from "../environment";
import { type AlarmKind, ALARM_KINDS, type AlarmThreshold } from "./alarm-kinds";
import { type AlarmQuery, canaryQualityQuery, TASK_OUTCOMES } from "./client-metrics";
import { BEDROCK_NAMESPACE, modelDimensions } from "./bedrock-metrics";
import { tpmQuotaCodes } from "./quota-headroom";
import { ttftThresholds, type TtftThreshold } from "./ttft-thresholds";

/** One CloudWatch alarm of a region stack, everything its resource needs. */
export interface AlarmSpec {
  /** Construct ID in the stack's alarms: `<kind>-<model ID>` (Terraform addresses follow it). */
  readonly id: string;
  readonly kind: string;
  readonly modelId: string;
  /** The model as invoked in the region: what the alarm watches, and what must exist when Terraform plans. */
  readonly invocation: Invocation;
  readonly alarmName: string;
  readonly description: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly statistic: AlarmKind["statistic"];
  readonly period: number;
  readonly evaluationPeriods: number;
  readonly threshold: AlarmThreshold;
  /** A member of the composite alarm AppConfig watches. */
  readonly rollback: boolean;
  /** A metric-math alarm: the expression and what it reads (then metricName and dimensions only describe it). Default: none. */
  readonly query?: AlarmQuery;
}

/** What the alarms of a set of models are made from. */
export interface AlarmInputs {
  readonly envName: string;
  /** The models as invoked from the region; their alarms come in this order. */
  readonly invocations: readonly Invocation[];
  readonly settings: AlarmConfig;
  /** Foundation-model ID -> tokens-per-minute quota code. Default: none (no quota-usage alarms). */
  readonly quotaCodes?: ReadonlyMap<string, string | undefined>;
  /** Foundation-model ID -> TTFT threshold (ttftThresholds). Default: none. */
  readonly ttft?: ReadonlyMap<string, TtftThreshold>;
  /** The routing client's metrics namespace. Default: BedrockRouting. */
  readonly metricsNamespace?: string;
  /** Foundation-model ID -> the routes whose declared canary it is. Default: none. */
  readonly canaryOf?: ReadonlyMap<string, readonly string[]>;
}

/** Every alarm of every kind for the given models, model by model in ALARM_KINDS order. */
export function alarmSpecs(inputs: AlarmInputs): AlarmSpec[] {
  return inputs.invocations.flatMap((inv) =>
    ALARM_KINDS.flatMap((k): AlarmSpec[] => {
      const metricsNamespace = inputs.metricsNamespace ?? "BedrockRouting";
      const a = k.alarmOf({ inv, settings: inputs.settings, quotaCode: inputs.quotaCodes?.get(inv.modelId), ttft: inputs.ttft?.get(inv.modelId), metricsNamespace, canaryOf: inputs.canaryOf?.get(inv.modelId) });
      if (!a) return [];
      return [
        {
          id: `${k.kind}-${inv.modelId}`,
          kind: k.kind,
          modelId: inv.modelId,
          invocation: inv,
          alarmName: names.alarm(inputs.envName, k.kind, inv.invokeId),
          description: a.description,
          namespace: a.query ? metricsNamespace : BEDROCK_NAMESPACE,
          metricName: k.metricName,
          dimensions: a.query ? { Model: inv.modelId } : modelDimensions(inv),
          statistic: k.statistic,
          period: a.period,
          evaluationPeriods: a.evaluationPeriods,
          threshold: a.threshold,
          rollback: a.rollback ?? k.rollback,
          ...(a.query ? { query: a.query } : {}),
        },
      ];
    }),
  );
}

/** Foundation-model ID -> the routes whose declared canary it is. */
export function declaredCanaries(plan: BaselinePlan): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [task, r] of Object.entries(plan.config.routes)) if (r.canary) out.set(r.canary.model, [...(out.get(r.canary.model) ?? []), task]);
  return out;
}

/**
 * Per route with a declared canary, an alarm comparing the canary's task success rate with the primary's over the
 * quality period (canaryQualityQuery: both need `rateMinSamples` reports, so a quiet period never fires), a member of
 * the rollback alarm: a canary that answers, but worse, is rolled back by AppConfig itself.
 */
export function canaryQualityAlarms(plan: BaselinePlan, region: string): AlarmSpec[] {
  const c = plan.config;
  const inv = plan.invocations[region];
  const s = c.alarms;
  return Object.entries(c.routes).flatMap(([task, r]): AlarmSpec[] => {
    if (!r.canary || !Object.hasOwn(inv, r.canary.model) || !Object.hasOwn(inv, r.primary)) return [];
    const canary = r.canary.model;
    return [
      {
        id: `canary-quality-${task}`,
        kind: "canary-quality",
        modelId: canary,
        invocation: inv[canary],
        alarmName: names.alarm(c.name, "canary-quality", task),
        description: `Task success rate of canary ${canary} on ${task} more than ${s.canarySuccessDropPoints} points below primary ${r.primary}'s per ${s.qualityPeriodSeconds} s (each with at least ${s.rateMinSamples} reported outcomes; routing client metric ${c.metricsNamespace}/${TASK_OUTCOMES.success}): rolls the routing deployment back`,
        namespace: c.metricsNamespace,
        metricName: TASK_OUTCOMES.success,
        dimensions: { Task: task },
        statistic: { statistic: "Average" },
        period: s.qualityPeriodSeconds,
        evaluationPeriods: 1,
        threshold: { value: s.canarySuccessDropPoints },
        rollback: true,
        query: canaryQualityQuery(c.metricsNamespace, task, r.primary, canary, s.rateMinSamples),
      },
    ];
  });
}

/** The alarms of one region stack of a plan (every kind, every enabled model; then the canaried routes' quality alarms). */
export function regionAlarms(plan: BaselinePlan, region: string): AlarmSpec[] {
  return [
    ...alarmSpecs({
      envName: plan.config.name,
      invocations: Object.values(plan.invocations[region]),
      settings: plan.config.alarms,
      quotaCodes: tpmQuotaCodes(plan, region),
      ttft: ttftThresholds(plan),
      metricsNamespace: plan.config.metricsNamespace,
      canaryOf: declaredCanaries(plan),
    }),
    ...canaryQualityAlarms(plan, region),
  ];
}

/** The ARN an alarm will have once created. */
export function alarmArn(a: AlarmSpec, account: string): string {
  const region = a.invocation.region;
  return `arn:${partitionOf(region)}:cloudwatch:${region}:${account}:alarm:${a.alarmName}`;
}

/**
 * CloudWatch limits on a composite alarm rule: 10,240 characters and at most 100 child alarms
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html).
 */
export const MAX_ALARM_RULE_LENGTH = 10240;
export const MAX_ALARM_RULE_CHILDREN = 100;

/** The composite rule over the given alarm references: any of them in ALARM. */
export function rollbackRule(alarmRefs: readonly string[]): string {
  return alarmRefs.map((a) => `ALARM("${a}")`).join(" OR ");
}
