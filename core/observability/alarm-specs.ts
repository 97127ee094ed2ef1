import { type Invocation, names, partitionOf } from "../aws";
import type { AlarmConfig, BaselinePlan } from "../environment";
import { type AlarmKind, ALARM_KINDS, type AlarmMath, type AlarmThreshold, filled } from "./alarm-kinds";
import { BEDROCK_NAMESPACE, type MetricSource, modelDimensions, modelSources } from "./bedrock-metrics";
import { crossModelDailyAlarm, spendAlarms } from "./cost-alarms";
import { tpmQuotaCodes } from "./quota-headroom";
import { ttftThresholds, type TtftThreshold } from "./ttft-thresholds";

/** One CloudWatch alarm of a region stack, everything its resource needs. */
export interface AlarmSpec {
  /** Construct ID in the stack's alarms: `<kind>-<model ID>`, or `<kind>-<workload>` (Terraform addresses follow it). */
  readonly id: string;
  readonly kind: string;
  /** The model it watches; absent for an alarm about a workload or the whole region. */
  readonly modelId?: string;
  /** The model as invoked in the region: what the alarm watches, and what must exist when Terraform plans. Absent as modelId is. */
  readonly invocation?: Invocation;
  /** The stack's region. */
  readonly region: string;
  readonly alarmName: string;
  readonly description: string;
  /** The metric, when the alarm watches one (ignored with `math`). */
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly statistic: AlarmKind["statistic"];
  /** An expression over several metrics instead (application profiles, daily quotas); rendered as metric queries. */
  readonly math?: AlarmMath;
  readonly period: number;
  readonly evaluationPeriods: number;
  readonly threshold: AlarmThreshold;
  /** A member of the composite alarm AppConfig watches. */
  readonly rollback: boolean;
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
  /** Foundation-model ID -> where its calls are measured (modelSources). Default: its invoke ID. */
  readonly sources?: ReadonlyMap<string, readonly MetricSource[]>;
  /** Foundation-model ID -> output burndown and tokens-per-day quota code. Default: burndown 1, no daily-quota alarm. */
  readonly daily?: ReadonlyMap<string, { readonly burndown: number; readonly tpdCode?: string }>;
}

/** A kind's metric over several sources: summed, or the largest where it is a percentile (the worst source's). */
function combined(k: AlarmKind, sources: readonly MetricSource[]): AlarmMath {
  const stat = "statistic" in k.statistic ? k.statistic.statistic : k.statistic.extendedStatistic;
  const metrics = sources.map((source, i) => ({ id: `m${i + 1}`, namespace: BEDROCK_NAMESPACE, metricName: k.metricName, stat, source }));
  return { expression: `${"statistic" in k.statistic ? "SUM" : "MAX"}(${filled(metrics.map((m) => m.id))})`, metrics };
}

/** Every alarm of every kind for the given models, model by model in ALARM_KINDS order. */
export function alarmSpecs(inputs: AlarmInputs): AlarmSpec[] {
  return inputs.invocations.flatMap((inv) =>
    ALARM_KINDS.flatMap((k): AlarmSpec[] => {
      const sources = inputs.sources?.get(inv.modelId);
      const daily = inputs.daily?.get(inv.modelId);
      const a = k.alarmOf({ inv, settings: inputs.settings, quotaCode: inputs.quotaCodes?.get(inv.modelId), ttft: inputs.ttft?.get(inv.modelId), sources, burndown: daily?.burndown, tpdCode: daily?.tpdCode });
      if (!a) return [];
      // A model measured only under its own invoke ID keeps its plain metric alarm.
      const viaProfiles = sources !== undefined && !(sources.length === 1 && "invokeId" in sources[0] && sources[0].invokeId === inv.invokeId);
      const math = a.math ?? (viaProfiles ? combined(k, sources) : undefined);
      return [
        {
          id: `${k.kind}-${inv.modelId}`,
          kind: k.kind,
          modelId: inv.modelId,
          invocation: inv,
          region: inv.region,
          alarmName: names.alarm(inputs.envName, k.kind, inv.invokeId),
          description: a.description,
          namespace: BEDROCK_NAMESPACE,
          metricName: k.metricName,
          dimensions: modelDimensions(inv),
          statistic: k.statistic,
          ...(math ? { math } : {}),
          period: a.period,
          evaluationPeriods: a.evaluationPeriods,
          threshold: a.threshold,
          rollback: k.rollback,
        },
      ];
    }),
  );
}

/**
 * The alarms of one region stack of a plan: every kind for every enabled model (over the invoke IDs its calls use),
 * then the region's cross-model daily-quota alarm and each workload's spend-rate alarm (core/observability/cost-alarms.ts).
 */
export function regionAlarms(plan: BaselinePlan, region: string): AlarmSpec[] {
  const invocations = Object.values(plan.invocations[region]);
  return [
    ...alarmSpecs({
      envName: plan.config.name,
      invocations,
      settings: plan.config.alarms,
      quotaCodes: tpmQuotaCodes(plan, region),
      ttft: ttftThresholds(plan),
      sources: new Map(invocations.map((inv) => [inv.modelId, modelSources(plan, inv)])),
      daily: new Map(invocations.map((inv) => [inv.modelId, { burndown: plan.specs[inv.modelId]?.outputBurndown ?? 1, tpdCode: plan.specs[inv.modelId]?.quotas[region]?.tpd?.code }])),
    }),
    ...crossModelDailyAlarm(plan, region),
    ...spendAlarms(plan, region),
  ];
}

/** The ARN an alarm will have once created. */
export function alarmArn(a: AlarmSpec, account: string): string {
  return `arn:${partitionOf(a.region)}:cloudwatch:${a.region}:${account}:alarm:${a.alarmName}`;
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
