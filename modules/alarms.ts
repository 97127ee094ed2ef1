import { CloudwatchCompositeAlarm, CloudwatchMetricAlarm, type CloudwatchMetricAlarmConfig } from "./provider-aws";
import { Construct } from "constructs";
import { type AlarmSpec, rollbackRule, sourceDimensions } from "../core/observability";
import type { ProfileRefs } from "../core/environment";
import { NotificationTopic } from "./notification-topic";
import type { TpmQuotas } from "./tpm-quotas";

/** Properties of ModelAlarms. */
export interface ModelAlarmsProps {
  /** SNS topic every alarm notifies. */
  readonly topicName: string;
  /** Account that owns the topic (topic policy `aws:SourceAccount`). */
  readonly account: string;
  /** Emails subscribed to the topic (each must confirm). Default: none. */
  readonly emails?: readonly string[];
  /** The alarms, one per spec (core/observability/alarm-specs.ts), at least one. */
  readonly alarms: readonly AlarmSpec[];
  /** Name of the composite alarm over the specs' rollback members. */
  readonly rollbackAlarmName: string;
  /** The models' applied quotas, read at plan time: needed by any spec whose threshold is a share of one. Default: none. */
  readonly quotas?: TpmQuotas;
  /** The stack's application profiles (Terraform references): needed by any spec that reads their metrics. Default: none. */
  readonly profiles?: ProfileRefs;
}

/** One rendered alarm. */
export interface ModelAlarm {
  readonly kind: string;
  /** The model it watches; absent for a workload's or the region's alarm. */
  readonly modelId?: string;
  readonly alarm: CloudwatchMetricAlarm;
}

/**
 * What an alarm watches: one metric, or an expression over metric queries (the expression's result is what the alarm
 * compares; every query reads the alarm's period). Application-profile sources resolve to the stack's references.
 */
function metricOf(a: AlarmSpec, profiles: ProfileRefs | undefined): Partial<CloudwatchMetricAlarmConfig> {
  if (!a.math) return { namespace: a.namespace, metricName: a.metricName, dimensions: { ...a.dimensions }, ...a.statistic, period: a.period };
  return {
    metricQuery: [
      ...a.math.metrics.map((m) => ({ id: m.id, returnData: false, metric: { namespace: m.namespace, metricName: m.metricName, dimensions: sourceDimensions(m.source, profiles), period: a.period, stat: m.stat } })),
      { id: "e1", expression: a.math.expression, label: a.metricName === a.math.metrics[0]?.metricName ? a.metricName : a.kind, returnData: true },
    ],
  };
}

/**
 * Per-model CloudWatch alarms on Bedrock runtime metrics, rendered from their specs, the stack's SNS topic they notify,
 * and one composite alarm that AppConfig watches to roll back routing deployments.
 */
export class ModelAlarms extends Construct {
  readonly topic: NotificationTopic;
  readonly alarms: readonly ModelAlarm[];
  /**
   * ALARM when any rollback member is in ALARM. The single AppConfig rollback monitor: AppConfig allows at most 5
   * monitors per environment, and one composite keeps it at one whatever the model count. A composite's `ALARM(x)` is
   * false while x is INSUFFICIENT_DATA, so idle or newly created children cannot trigger a rollback (AppConfig also
   * rolls back on INSUFFICIENT_DATA).
   */
  readonly rollbackAlarm: CloudwatchCompositeAlarm;

  constructor(scope: Construct, id: string, props: ModelAlarmsProps) {
    super(scope, id);
    if (props.alarms.length === 0) throw new Error("ModelAlarms needs at least one alarm");
    this.topic = new NotificationTopic(this, "topic", {
      topicName: props.topicName,
      account: props.account,
      emails: props.emails,
      // CloudWatch for the alarms; Budgets so budget alerts (or Budgets actions) can also be pointed at the on-call topic.
      publishers: ["cloudwatch.amazonaws.com", "budgets.amazonaws.com"],
    });
    const actions = [this.topic.topicArn];
    this.alarms = props.alarms.map((a) => ({
      kind: a.kind,
      modelId: a.modelId,
      alarm: new CloudwatchMetricAlarm(this, a.id, {
        alarmName: a.alarmName,
        alarmDescription: a.description,
        ...metricOf(a, props.profiles),
        evaluationPeriods: a.evaluationPeriods,
        comparisonOperator: "GreaterThanThreshold",
        threshold: this.threshold(a, props.quotas),
        // Idle models emit no data points; missing data must not alarm (or roll back AppConfig deployments).
        treatMissingData: "notBreaching",
        alarmActions: actions,
        okActions: actions,
      }),
    }));
    const members = props.alarms.flatMap((a, i) => (a.rollback ? [this.alarms[i].alarm.arn] : []));
    // ARNs (Terraform references) rather than names: the composite then depends on its children and is created after
    // them. Validation (core/validation/rules/rollback-alarm-limits.ts) has checked the rule against CloudWatch's limits.
    this.rollbackAlarm = new CloudwatchCompositeAlarm(this, "rollback", {
      alarmName: props.rollbackAlarmName,
      alarmDescription: "Any Bedrock model throttling or failing server-side: AppConfig rolls back routing deployments while this is in ALARM",
      alarmRule: rollbackRule(members),
      // AppConfig ignores alarms whose actions are disabled. No notification actions: the child alarms already notify.
      actionsEnabled: true,
    });
  }

  /** A fixed threshold, or the share of the applied quota as a Terraform expression evaluated at plan time. */
  private threshold(a: AlarmSpec, quotas: TpmQuotas | undefined): number {
    if ("value" in a.threshold) return a.threshold.value;
    const share = quotas?.shareOfCode(a.threshold.quotaCode, a.threshold.quotaPercent);
    if (share === undefined) throw new Error(`alarm ${a.alarmName} needs the applied quota ${a.threshold.quotaCode}`);
    return share;
  }

  /** The alarms of one kind, in model order. */
  alarmsOfKind(kind: string): CloudwatchMetricAlarm[] {
    return this.alarms.filter((a) => a.kind === kind).map((a) => a.alarm);
  }
}
