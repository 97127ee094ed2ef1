import { type Invocation, names, partitionOf } from "../aws";
import type { AlarmConfig, BaselinePlan } from "../environment";
import { type AlarmKind, ALARM_KINDS, type AlarmThreshold } from "./alarm-kinds";
import { BEDROCK_NAMESPACE, modelDimensions } from "./bedrock-metrics";
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
}

/** Every alarm of every kind for the given models, model by model in ALARM_KINDS order. */
export function alarmSpecs(inputs: AlarmInputs): ModelAlarmSpec[] {
  return inputs.invocations.flatMap((inv) =>
    ALARM_KINDS.flatMap((k): ModelAlarmSpec[] => {
      const a = k.alarmOf({ inv, settings: inputs.settings, quotaCode: inputs.quotaCodes?.get(inv.modelId), ttft: inputs.ttft?.get(inv.modelId) });
      if (!a) return [];
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
 * The alarms of one region stack of a plan: every per-model kind for every enabled model, then the refusal-rate and
 * canary-quality alarms (core/observability/quality-alarms.ts), then each route's alarms on the routing client's metrics
 * (core/observability/route-alarms.ts), then the quota store's (core/observability/quota-store-alarm.ts).
 */
export function regionAlarms(plan: BaselinePlan, region: string): AlarmSpec[] {
  const models = alarmSpecs({
    envName: plan.config.name,
    invocations: Object.values(plan.invocations[region]),
    settings: plan.config.alarms,
    quotaCodes: tpmQuotaCodes(plan, region),
    ttft: ttftThresholds(plan),
  });
  return [...models, ...refusalRateAlarms(plan, region), ...canaryQualityAlarms(plan, region), ...routeAlarms(plan, region), ...quotaStoreAlarms(plan, region)];
}

/** The ARN an alarm will have once created. */
export function alarmArn(a: Pick<AlarmSpec, "region" | "alarmName">, account: string): string {
  return `arn:${partitionOf(a.region)}:cloudwatch:${a.region}:${account}:alarm:${a.alarmName}`;
}
