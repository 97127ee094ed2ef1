import { type Invocation, names, partitionOf } from "../aws";
import type { AlarmConfig, BaselinePlan } from "../environment";
import { type AlarmKind, ALARM_KINDS, type AlarmMath, type AlarmThreshold, filled } from "./alarm-kinds";
import { BEDROCK_NAMESPACE, type MetricSource, modelDimensions, modelSources } from "./bedrock-metrics";
import { crossModelDailyAlarm, spendAlarms } from "./cost-alarms";
import { tpmQuotaCodes } from "./quota-headroom";
import { quotaStoreAlarms } from "./quota-store-alarm";
import { canaryQualityAlarms, refusalRateAlarms } from "./quality-alarms";
import { routeAlarms } from "./route-alarms";
import { ttftThresholds, type TtftThreshold } from "./ttft-thresholds";

/** What every alarm of a region stack has, whatever it watches. */
interface AlarmBase {
  /** Construct ID in the stack's alarms: `<kind>-<subject>` (Terraform addresses follow it). */
  readonly id: string;
  readonly kind: string;
  /** The region the alarm lives in (the stack's). */
  readonly region: string;
  readonly alarmName: string;
  readonly description: string;
  readonly period: number;
  readonly evaluationPeriods: number;
  readonly threshold: AlarmThreshold;
  /** A member of the composite alarm AppConfig watches. */
  readonly rollback: boolean;
}

/** A per-model alarm on one Bedrock runtime metric of the model as invoked in the region. */
export interface ModelAlarmSpec extends AlarmBase {
  readonly watches: "model";
  readonly modelId: string;
  /** The model as invoked in the region: what the alarm watches, and what must exist when Terraform plans. */
  readonly invocation: Invocation;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly statistic: AlarmKind["statistic"];
  /**
   * An expression over several metrics instead of the one above: the model's calls through its workloads' application
   * profiles (cost attribution), or its daily token quota; their sources resolve to the stack's references.
   */
  readonly math?: AlarmMath;
}

/**
 * One query of a metric-math alarm (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create-alarm-on-metric-math-expression.html):
 * a metric with its statistic, or an expression over the other queries' IDs.
 */
export type AlarmMetricQuery =
  | { readonly id: string; readonly label?: string; readonly metric: { readonly namespace: string; readonly metricName: string; readonly dimensions: Readonly<Record<string, string>>; readonly stat: string } }
  | { readonly id: string; readonly label?: string; readonly expression: string; readonly returnData?: boolean };

/** An alarm on a metric-math expression (e.g. a route's fallback rate from the routing client's metrics). */
export interface MathAlarmSpec extends AlarmBase {
  readonly watches: "expression";
  /** What the alarm is about, for messages: `route summarization`. */
  readonly subject: string;
  /** The route it watches, when it watches one. */
  readonly task?: string;
  /** The queries; exactly one expression has `returnData`: the value compared with the threshold. */
  readonly queries: readonly AlarmMetricQuery[];
}

/** One CloudWatch alarm of a region stack, everything its resource needs. */
export type AlarmSpec = ModelAlarmSpec | MathAlarmSpec;

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
export function alarmSpecs(inputs: AlarmInputs): ModelAlarmSpec[] {
  return inputs.invocations.flatMap((inv) =>
    ALARM_KINDS.flatMap((k): ModelAlarmSpec[] => {
      const sources = inputs.sources?.get(inv.modelId);
      const daily = inputs.daily?.get(inv.modelId);
      const a = k.alarmOf({ inv, settings: inputs.settings, quotaCode: inputs.quotaCodes?.get(inv.modelId), ttft: inputs.ttft?.get(inv.modelId), sources, burndown: daily?.burndown, tpdCode: daily?.tpdCode });
      if (!a) return [];
      // A model measured only under its own invoke ID keeps its plain metric alarm.
      const viaProfiles = sources !== undefined && !(sources.length === 1 && "invokeId" in sources[0] && sources[0].invokeId === inv.invokeId);
      const math = a.math ?? (viaProfiles ? combined(k, sources) : undefined);
      return [
        {
          watches: "model",
          id: `${k.kind}-${inv.modelId}`,
          kind: k.kind,
          region: inv.region,
          modelId: inv.modelId,
          invocation: inv,
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
 * The alarms of one region stack of a plan: every per-model kind for every enabled model (over the invoke IDs its calls
 * use), then the refusal-rate and canary-quality alarms (core/observability/quality-alarms.ts), then each route's alarms
 * on the routing client's metrics (core/observability/route-alarms.ts), then the region's cross-model daily-quota alarm
 * and each workload's spend-rate alarm (core/observability/cost-alarms.ts), then the quota store's
 * (core/observability/quota-store-alarm.ts).
 */
export function regionAlarms(plan: BaselinePlan, region: string): AlarmSpec[] {
  const invocations = Object.values(plan.invocations[region]);
  const models = alarmSpecs({
    envName: plan.config.name,
    invocations,
    settings: plan.config.alarms,
    quotaCodes: tpmQuotaCodes(plan, region),
    ttft: ttftThresholds(plan),
    sources: new Map(invocations.map((inv) => [inv.modelId, modelSources(plan, inv)])),
    daily: new Map(invocations.map((inv) => [inv.modelId, { burndown: plan.specs[inv.modelId]?.outputBurndown ?? 1, tpdCode: plan.specs[inv.modelId]?.quotas[region]?.tpd?.code }])),
  });
  return [
    ...models,
    ...refusalRateAlarms(plan, region),
    ...canaryQualityAlarms(plan, region),
    ...routeAlarms(plan, region),
    ...crossModelDailyAlarm(plan, region),
    ...spendAlarms(plan, region),
    ...quotaStoreAlarms(plan, region),
  ];
}

/** The ARN an alarm will have once created. */
export function alarmArn(a: Pick<AlarmSpec, "region" | "alarmName">, account: string): string {
  return `arn:${partitionOf(a.region)}:cloudwatch:${a.region}:${account}:alarm:${a.alarmName}`;
}
