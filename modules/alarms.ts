import { CloudwatchCompositeAlarm, CloudwatchMetricAlarm } from "./provider-aws";
import { Construct } from "constructs";
import { ALARM_KINDS, type AlarmKind, QUOTA_USAGE_ALARM, rollbackRule, TTFT_ALARM, type TtftThreshold } from "../core/observability";
import { AlarmConfig } from "../core/environment";
import { Invocation, names } from "../core/aws";
import { BEDROCK_NAMESPACE, modelDimensions } from "./bedrock-metrics";
import { NotificationTopic } from "./notification-topic";
import type { TpmQuotas } from "./tpm-quotas";

/** Properties of ModelAlarms. */
export interface ModelAlarmsProps {
  /** Environment name (alarm and topic names). */
  readonly envName: string;
  /** Account that owns the topic (topic policy `aws:SourceAccount`). */
  readonly account: string;
  /** The models as invoked from this region; one set of alarms each. */
  readonly invocations: readonly Invocation[];
  /** Thresholds, period, evaluation periods and emails (config `alarms`). */
  readonly settings: AlarmConfig;
  /** The models' applied TPM quotas, read at plan time: a quota-usage alarm for each model that has one. Default: none. */
  readonly quotas?: TpmQuotas;
  /** TTFT thresholds of the models streaming routes use (core/observability/alarms.ts `ttftThresholds`). Default: none. */
  readonly ttft?: ReadonlyMap<string, TtftThreshold>;
}

/** One per-model alarm. */
export interface ModelAlarm {
  readonly kind: AlarmKind;
  readonly modelId: string;
  readonly alarm: CloudwatchMetricAlarm;
}

/**
 * Per-model CloudWatch alarms on Bedrock runtime metrics (the ALARM_KINDS for every model, quota usage where the quota
 * code is known, time to first token for the models of streaming routes), the stack's SNS topic they notify, and one
 * composite alarm that AppConfig watches to roll back routing deployments.
 */
export class ModelAlarms extends Construct {
  readonly topic: NotificationTopic;
  readonly alarms: readonly ModelAlarm[];
  /**
   * ALARM when any model's throttle or server-error alarm is in ALARM. The single AppConfig rollback monitor: AppConfig
   * allows at most 5 monitors per environment, and one composite keeps it at one whatever the model count. A
   * composite's `ALARM(x)` is false while x is INSUFFICIENT_DATA, so idle or newly created children cannot trigger a
   * rollback (AppConfig also rolls back on INSUFFICIENT_DATA).
   */
  readonly rollbackAlarm: CloudwatchCompositeAlarm;

  constructor(scope: Construct, id: string, props: ModelAlarmsProps) {
    super(scope, id);
    if (props.invocations.length === 0) throw new Error("ModelAlarms needs at least one model");
    const s = props.settings;
    this.topic = new NotificationTopic(this, "topic", {
      topicName: names.alarmTopic(props.envName),
      account: props.account,
      emails: s.emails,
      // CloudWatch for the alarms; Budgets so budget alerts (or Budgets actions) can also be pointed at the on-call topic.
      publishers: ["cloudwatch.amazonaws.com", "budgets.amazonaws.com"],
    });
    const actions = [this.topic.topicArn];
    // Idle models emit no data points; missing data must not alarm (or roll back AppConfig deployments).
    const common = { namespace: BEDROCK_NAMESPACE, comparisonOperator: "GreaterThanThreshold", treatMissingData: "notBreaching", alarmActions: actions, okActions: actions };
    const alarms: ModelAlarm[] = [];
    for (const inv of props.invocations) {
      for (const k of ALARM_KINDS) {
        const alarm = new CloudwatchMetricAlarm(this, `${k.kind}-${inv.modelId}`, {
          ...common,
          alarmName: names.alarm(props.envName, k.kind, inv.invokeId),
          alarmDescription: `${k.metricName} of ${inv.invokeId} (${inv.modelId}) above ${s[k.setting]} per ${s.periodSeconds} s`,
          metricName: k.metricName,
          dimensions: modelDimensions(inv),
          ...("extendedStatistic" in k ? { extendedStatistic: k.extendedStatistic } : { statistic: k.statistic }),
          period: s.periodSeconds,
          evaluationPeriods: s.evaluationPeriods,
          threshold: s[k.setting],
        });
        alarms.push({ kind: k.kind, modelId: inv.modelId, alarm });
      }
      const quota = props.quotas?.quotaOf(inv.modelId);
      if (quota) {
        const q = QUOTA_USAGE_ALARM;
        const alarm = new CloudwatchMetricAlarm(this, `${q.kind}-${inv.modelId}`, {
          ...common,
          alarmName: names.alarm(props.envName, q.kind, inv.invokeId),
          alarmDescription: `${q.metricName} of ${inv.invokeId} (${inv.modelId}) above ${s.quotaUsagePercent}% of its applied tokens-per-minute quota (${quota.code}, read at plan time) in a minute: throttling is near`,
          metricName: q.metricName,
          dimensions: modelDimensions(inv),
          statistic: q.statistic,
          period: q.periodSeconds,
          evaluationPeriods: q.evaluationPeriods,
          threshold: props.quotas!.shareOf(inv.modelId, s.quotaUsagePercent)!,
        });
        alarms.push({ kind: q.kind, modelId: inv.modelId, alarm });
      }
      const ttft = props.ttft?.get(inv.modelId);
      if (ttft) {
        const t = TTFT_ALARM;
        const alarm = new CloudwatchMetricAlarm(this, `${t.kind}-${inv.modelId}`, {
          ...common,
          alarmName: names.alarm(props.envName, t.kind, inv.invokeId),
          alarmDescription: `${t.extendedStatistic} ${t.metricName} of ${inv.invokeId} (${inv.modelId}) above ${ttft.thresholdMs} ms per ${s.periodSeconds} s (streaming routes ${ttft.routes.join(", ")})`,
          metricName: t.metricName,
          dimensions: modelDimensions(inv),
          extendedStatistic: t.extendedStatistic,
          period: s.periodSeconds,
          evaluationPeriods: s.evaluationPeriods,
          threshold: ttft.thresholdMs,
        });
        alarms.push({ kind: t.kind, modelId: inv.modelId, alarm });
      }
    }
    this.alarms = alarms;
    const rollbackKinds = new Set<string>(ALARM_KINDS.filter((k) => k.rollback).map((k) => k.kind));
    // ARNs (Terraform references) rather than names: the composite then depends on its children and is created after them.
    // Core validation (alarmProblems) has already checked the rule against CloudWatch's limits.
    const rule = rollbackRule(alarms.filter((a) => rollbackKinds.has(a.kind)).map((a) => a.alarm.arn));
    this.rollbackAlarm = new CloudwatchCompositeAlarm(this, "rollback", {
      alarmName: names.rollbackAlarm(props.envName),
      alarmDescription: "Any Bedrock model throttling or failing server-side: AppConfig rolls back routing deployments while this is in ALARM",
      alarmRule: rule,
      // AppConfig ignores alarms whose actions are disabled. No notification actions: the child alarms already notify.
      actionsEnabled: true,
    });
  }

  /** The alarms of one kind, in model order. */
  alarmsOfKind(kind: AlarmKind): CloudwatchMetricAlarm[] {
    return this.alarms.filter((a) => a.kind === kind).map((a) => a.alarm);
  }
}
