/*
 * The rollback alarm AppConfig watches (one monitor: AppConfig allows 5 per environment) is a composite alarm that is
 * in ALARM when any rollback member is. A composite's rule names at most 100 alarms in at most 10,240 characters
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html), and it may name other
 * composites. So the members go into the rule directly while they fit, and otherwise into parts: composites of their
 * own, each within the limits, which the rollback alarm names instead. A small environment keeps its single composite
 * (and its Terraform addresses); a large one, whose per-model and per-route members pass 100, still rolls back on
 * any of them.
 */

/** CloudWatch's limits on one composite alarm rule. */
export const MAX_ALARM_RULE_LENGTH = 10240;
export const MAX_ALARM_RULE_CHILDREN = 100;

/** The composite rule over the given alarm references (ARNs or names): any of them in ALARM. */
export function rollbackRule(alarmRefs: readonly string[]): string {
  return alarmRefs.map((a) => `ALARM("${a}")`).join(" OR ");
}

/** How the rollback members are arranged. */
export interface RollbackLayout {
  /** Indexes of the members the rollback alarm names directly: all of them when they fit one rule, else none. */
  readonly direct: readonly number[];
  /** Composites between the rollback alarm and the members (empty when the members fit one rule), in order. */
  readonly parts: ReadonlyArray<{ readonly name: string; readonly members: readonly number[] }>;
}

/** Whether the references fit one rule. */
export function fitsOneRule(refs: readonly string[]): boolean {
  return refs.length <= MAX_ALARM_RULE_CHILDREN && rollbackRule(refs).length <= MAX_ALARM_RULE_LENGTH;
}

/** The name of part `n` (1-based) of a rollback alarm. */
export const rollbackPartName = (rollbackAlarmName: string, n: number) => `${rollbackAlarmName}-part-${n}`;

/**
 * Arranges members (their ARNs as they will be once created) under the rollback alarm: directly when they fit one rule,
 * else in parts filled in order, each within the limits. The rollback alarm's own rule (over the parts) is checked by
 * rollbackLayoutProblems.
 */
export function rollbackLayout(rollbackAlarmName: string, memberArns: readonly string[]): RollbackLayout {
  if (fitsOneRule(memberArns)) return { direct: memberArns.map((_, i) => i), parts: [] };
  const parts: Array<{ name: string; members: number[] }> = [];
  let current: number[] = [];
  let length = 0;
  const close = () => {
    if (current.length) parts.push({ name: rollbackPartName(rollbackAlarmName, parts.length + 1), members: current });
    current = [];
    length = 0;
  };
  memberArns.forEach((arn, i) => {
    const added = `ALARM("${arn}")`.length + (current.length ? " OR ".length : 0);
    if (current.length && (current.length === MAX_ALARM_RULE_CHILDREN || length + added > MAX_ALARM_RULE_LENGTH)) close();
    current.push(i);
    length += current.length === 1 ? `ALARM("${arn}")`.length : added;
  });
  close();
  return { direct: [], parts };
}

/**
 * Why the layout cannot be created (empty when it can): a member alone longer than a rule allows, or more parts than
 * the rollback alarm can name. `arnOf` turns an alarm name into its ARN.
 */
export function rollbackLayoutProblems(layout: RollbackLayout, memberArns: readonly string[], arnOf: (alarmName: string) => string): string[] {
  const rules: Array<[string, string[]]> = [["the rollback alarm", layout.parts.length ? layout.parts.map((p) => arnOf(p.name)) : layout.direct.map((i) => memberArns[i])]];
  for (const p of layout.parts) rules.push([`rollback part ${p.name}`, p.members.map((i) => memberArns[i])]);
  return rules.flatMap(([what, refs]) => {
    const out: string[] = [];
    if (refs.length > MAX_ALARM_RULE_CHILDREN) out.push(`${what} would watch ${refs.length} alarms; CloudWatch allows ${MAX_ALARM_RULE_CHILDREN}`);
    const length = rollbackRule(refs).length;
    if (length > MAX_ALARM_RULE_LENGTH) out.push(`the rule of ${what} would be ${length} characters; CloudWatch allows ${MAX_ALARM_RULE_LENGTH}`);
    return out;
  });
}
