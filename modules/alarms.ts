import { CloudwatchCompositeAlarm, CloudwatchMetricAlarm } from "./provider-aws";
import { Construct } from "constructs";
import { alarmArn, type AlarmSpec, type MathAlarmSpec, type ModelAlarmSpec, rollbackLayout, rollbackRule, sourceDimensions } from "../core/observability";
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
  /** The applied quotas, read at plan time: needed by any spec whose threshold is a share of one. Default: none. */
  readonly quotas?: TpmQuotas;
  /** The stack's application profiles (Terraform references): needed by any spec that reads their metrics. Default: none. */
  readonly profiles?: ProfileRefs;
  /** Customer managed key of the topic. Default: none. */
  readonly keyArn?: string;
}

/** One rendered alarm. */
export interface ModelAlarm {
  readonly kind: string;
  /** The model a per-model alarm watches. */
  readonly modelId?: string;
  /** The route a route alarm watches. */
  readonly task?: string;
  readonly alarm: CloudwatchMetricAlarm;
}

/**
 * The region's CloudWatch alarms, rendered from their specs: per model on Bedrock runtime metrics, per route on the
 * routing client's metrics (metric math); the stack's SNS topic they notify, and the composite alarm that AppConfig
 * watches to roll back routing deployments.
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
  /** The composites between the rollback alarm and its members, when they do not fit one rule (empty otherwise). */
  readonly rollbackParts: readonly CloudwatchCompositeAlarm[];

  constructor(scope: Construct, id: string, props: ModelAlarmsProps) {
    super(scope, id);
    if (props.alarms.length === 0) throw new Error("ModelAlarms needs at least one alarm");
    this.topic = new NotificationTopic(this, "topic", {
      topicName: props.topicName,
      account: props.account,
      emails: props.emails,
      // CloudWatch for the alarms; Budgets so budget alerts (or Budgets actions) can also be pointed at the on-call topic.
      publishers: ["cloudwatch.amazonaws.com", "budgets.amazonaws.com"],
      ...(props.keyArn ? { keyArn: props.keyArn } : {}),
    });
    const actions = [this.topic.topicArn];
    this.alarms = props.alarms.map((a) => ({
      kind: a.kind,
      ...(a.watches === "model" ? { modelId: a.modelId } : a.task === undefined ? {} : { task: a.task }),
      alarm: new CloudwatchMetricAlarm(this, a.id, {
        alarmName: a.alarmName,
        alarmDescription: a.description,
        ...(a.watches === "model" ? this.metric(a, props.profiles) : this.expression(a)),
        evaluationPeriods: a.evaluationPeriods,
        comparisonOperator: "GreaterThanThreshold",
        threshold: this.threshold(a, props.quotas),
        // Idle models and routes emit no data points; missing data must not alarm (or roll back AppConfig deployments).
        treatMissingData: "notBreaching",
        alarmActions: actions,
        okActions: actions,
      }),
    }));
    const rollback = this.rollbackComposite(props);
    this.rollbackAlarm = rollback.alarm;
    this.rollbackParts = rollback.parts;
  }

  /**
   * The composite over the rollback members: directly when they fit one rule, else over parts that each do
   * (core/observability/rollback-alarm.ts). ARNs (Terraform references) rather than names: a composite then depends on
   * its children and is created after them. Validation (core/validation/rules/rollback-alarm-limits.ts) has checked
   * the same layout against CloudWatch's limits.
   */
  private rollbackComposite(props: ModelAlarmsProps): { alarm: CloudwatchCompositeAlarm; parts: CloudwatchCompositeAlarm[] } {
    const members = props.alarms.flatMap((a, i) => (a.rollback ? [i] : []));
    // Arranged by the ARNs the alarms will have: the rules hold those once Terraform renders the references.
    const layout = rollbackLayout(props.rollbackAlarmName, members.map((i) => alarmArn(props.alarms[i], props.account)));
    const arns = members.map((i) => this.alarms[i].alarm.arn);
    const parts = layout.parts.map(
      (p, n) =>
        new CloudwatchCompositeAlarm(this, `rollback-part-${n + 1}`, {
          alarmName: p.name,
          alarmDescription: `Part ${n + 1} of ${layout.parts.length} of the rollback alarm ${props.rollbackAlarmName}: ${p.members.length} of its members`,
          alarmRule: rollbackRule(p.members.map((i) => arns[i])),
          actionsEnabled: true,
        }),
    );
    const alarm = new CloudwatchCompositeAlarm(this, "rollback", {
      alarmName: props.rollbackAlarmName,
      alarmDescription: "Any Bedrock model throttling or failing server-side, or a canaried route falling back or failing: AppConfig rolls back routing deployments while this is in ALARM",
      alarmRule: rollbackRule(parts.length ? parts.map((p) => p.arn) : layout.direct.map((i) => arns[i])),
      // AppConfig ignores alarms whose actions are disabled. No notification actions: the child alarms already notify.
      actionsEnabled: true,
    });
    return { alarm, parts };
  }

  /**
   * A single metric of a model, with its statistic; or, when its calls go through application profiles (or it adds up
   * a daily quota), the expression over its metric queries, their sources resolved to the stack's references.
   */
  private metric(a: ModelAlarmSpec, profiles: ProfileRefs | undefined) {
    if (!a.math) return { namespace: a.namespace, metricName: a.metricName, dimensions: { ...a.dimensions }, ...a.statistic, period: a.period };
    return {
      metricQuery: [
        ...a.math.metrics.map((m) => ({ id: m.id, returnData: false, metric: { namespace: m.namespace, metricName: m.metricName, dimensions: sourceDimensions(m.source, profiles), period: a.period, stat: m.stat } })),
        { id: "e1", label: a.kind, expression: a.math.expression, returnData: true },
      ],
    };
  }

  /** A metric-math expression over its queries (each metric read over the alarm's period). */
  private expression(a: MathAlarmSpec) {
    return {
      metricQuery: a.queries.map((q) =>
        "metric" in q
          ? { id: q.id, ...(q.label ? { label: q.label } : {}), returnData: false, metric: { namespace: q.metric.namespace, metricName: q.metric.metricName, dimensions: { ...q.metric.dimensions }, stat: q.metric.stat, period: a.period } }
          : { id: q.id, ...(q.label ? { label: q.label } : {}), expression: q.expression, returnData: q.returnData ?? false },
      ),
    };
  }

  /** A fixed threshold, or the share of an applied quota as a Terraform expression evaluated at plan time. */
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
