import { charCount, quote } from "../problems";
import { ELASTICACHE_NAME_PATTERN, MAX_ELASTICACHE_NAME } from "../runtime";

// AWS limits that apply would otherwise hit, as data with their sources, and the small checks that read them. Validation
// reports every breach before anything is synthesized.

/** A naming rule of one kind of AWS resource name. */
export interface NameRule {
  /** What the name is, for messages ("IAM role name"). */
  readonly what: string;
  /** Longest allowed name in characters. */
  readonly max: number;
  /** Allowed characters, or undefined when the service allows any printable character. */
  readonly chars?: RegExp;
  /** The characters in words, for messages. */
  readonly charsText?: string;
  readonly source: string;
}

const IAM_NAME_CHARS = /^[\w+=,.@-]+$/;

/** Names the baseline derives from the environment, workload and model names, by kind. */
export const NAME_RULES = {
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (RoleName: 1-64, [\w+=,.@-]+)
  iamRole: { what: "IAM role name", max: 64, chars: IAM_NAME_CHARS, charsText: "letters, digits and +=,.@_-", source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html" },
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html (PolicyName: 1-128, [\w+=,.@-]+)
  iamPolicy: { what: "IAM policy name", max: 128, chars: IAM_NAME_CHARS, charsText: "letters, digits and +=,.@_-", source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html" },
  // https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html (1-256 alphanumerics, hyphens, underscores)
  snsTopic: { what: "SNS topic name", max: 256, chars: /^[A-Za-z0-9_-]+$/, charsText: "letters, digits, - and _", source: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html" },
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html (AlarmName: 1-255)
  alarm: { what: "CloudWatch alarm name", max: 255, source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html" },
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html (alphanumerics, - and _; 1-255)
  dashboard: { what: "CloudWatch dashboard name", max: 255, chars: /^[A-Za-z0-9_-]+$/, charsText: "letters, digits, - and _", source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html" },
  // https://docs.aws.amazon.com/appconfig/2019-10-09/APIReference/API_CreateApplication.html (Name: 1-64)
  appConfigApplication: { what: "AppConfig application name", max: 64, source: "https://docs.aws.amazon.com/appconfig/2019-10-09/APIReference/API_CreateApplication.html" },
  // https://docs.aws.amazon.com/appconfig/2019-10-09/APIReference/API_CreateEnvironment.html (Name: 1-64)
  appConfigEnvironment: { what: "AppConfig environment name", max: 64, source: "https://docs.aws.amazon.com/appconfig/2019-10-09/APIReference/API_CreateEnvironment.html" },
  // https://docs.aws.amazon.com/appconfig/2019-10-09/APIReference/API_CreateDeploymentStrategy.html (Name: 1-64)
  appConfigStrategy: { what: "AppConfig deployment strategy name", max: 64, source: "https://docs.aws.amazon.com/appconfig/2019-10-09/APIReference/API_CreateDeploymentStrategy.html" },
  // https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Budget.html (BudgetName: 1-100, [^:\\]+)
  budget: { what: "budget name", max: 100, chars: /^[^:\\]+$/, charsText: "anything but : and \\", source: "https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Budget.html" },
  // https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html (Name: 1-64, [\.\-_A-Za-z0-9]+)
  eventRule: { what: "EventBridge rule name", max: 64, chars: /^[.\-_A-Za-z0-9]+$/, charsText: "letters, digits, . - and _", source: "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html" },
  // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_CreateGuardrail.html (name: 1-50, [0-9a-zA-Z-_]+)
  guardrail: { what: "guardrail name", max: 50, chars: /^[0-9a-zA-Z_-]+$/, charsText: "letters, digits, - and _", source: "https://docs.aws.amazon.com/bedrock/latest/APIReference/API_CreateGuardrail.html" },
  // https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateUser.html and CreateServerlessCache,
  // CreateUserGroup: a letter, then letters, digits and single hyphens, not ending with one; 1-40 (ELASTICACHE_NAME_PATTERN).
  elastiCache: { what: "ElastiCache name", max: MAX_ELASTICACHE_NAME, chars: ELASTICACHE_NAME_PATTERN, charsText: "letters, digits and single hyphens, starting with a letter and not ending with a hyphen", source: "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateUser.html" },
  // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_CreateInferenceProfile.html (inferenceProfileName: 1-64, ([0-9a-zA-Z][ _-]?)+)
  applicationProfile: {
    what: "inference profile name",
    max: 64,
    chars: /^([0-9a-zA-Z][ _-]?)+$/,
    charsText: "letters and digits, each followed by at most one space, _ or -",
    source: "https://docs.aws.amazon.com/bedrock/latest/APIReference/API_CreateInferenceProfile.html",
  },
  // https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_bcm-data-exports_Export.html (Name: 1-128, [0-9A-Za-z!\-_.*\'()]+)
  dataExport: { what: "data export name", max: 128, chars: /^[0-9A-Za-z!\-_.*'()]+$/, charsText: "letters, digits and !-_.*'()", source: "https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_bcm-data-exports_Export.html" },
} as const satisfies Record<string, NameRule>;

/** Why `name` breaks `rule`, or undefined when it fits. */
export function nameRuleBreach(rule: NameRule, name: string): string | undefined {
  const length = charCount(name);
  if (length > rule.max) return `${rule.what} ${quote(name, 100)} is ${length} characters; AWS allows ${rule.max}`;
  if (rule.chars && !rule.chars.test(name)) return `${rule.what} ${quote(name, 100)} may contain only ${rule.charsText}`;
  return undefined;
}

// Tags. https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions: at most 50 user tags per
// resource, keys 1-128 and values 0-256 Unicode characters, letters, digits, spaces and _ . : / = + - @, keys starting
// with `aws:` (any case) reserved. IAM, which tags the roles and policies, also refuses two keys that differ only in
// case (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html#id_tags_rules_creating).
export const MAX_TAGS = 50;
export const MAX_TAG_KEY = 128;
export const MAX_TAG_VALUE = 256;
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
export const TAG_CHARS_TEXT = "letters, digits, spaces and _ . : / = + - @";

/** What is wrong with a tag key, or undefined. */
export function tagKeyBreach(key: string): string | undefined {
  const length = charCount(key);
  if (length === 0) return "tag key is empty";
  if (length > MAX_TAG_KEY) return `tag key is ${length} characters; AWS allows ${MAX_TAG_KEY}`;
  if (key.toLowerCase().startsWith("aws:")) return "tag keys starting with aws: are reserved for AWS";
  if (!TAG_CHARS.test(key)) return `tag key may contain only ${TAG_CHARS_TEXT}`;
  return undefined;
}

/** What is wrong with a tag value, or undefined. */
export function tagValueBreach(value: string): string | undefined {
  const length = charCount(value);
  if (length > MAX_TAG_VALUE) return `tag value is ${length} characters; AWS allows ${MAX_TAG_VALUE}`;
  if (!TAG_CHARS.test(value)) return `tag value may contain only ${TAG_CHARS_TEXT}`;
  return undefined;
}

/**
 * CloudWatch: an alarm's evaluation range (period x evaluation periods) may not exceed one day for periods of 60 s and
 * more (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html, EvaluationPeriods).
 */
export const MAX_ALARM_EVALUATION_SECONDS = 86400;

/**
 * IAM quotas (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): a managed policy holds at
 * most 6,144 characters (whitespace not counted), a role trust policy 2,048 (adjustable to 4,096), a role or user gets
 * at most 10 managed policies by default (adjustable to 20); role and user names at most 64 characters, paths 512.
 */
export const MAX_MANAGED_POLICY_CHARS = 6144;
export const MAX_TRUST_POLICY_CHARS = 2048;
export const DEFAULT_MANAGED_POLICIES_PER_PRINCIPAL = 10;
export const MAX_MANAGED_POLICIES_PER_PRINCIPAL = 20;
export const MAX_IAM_PRINCIPAL_NAME = 64;
export const MAX_IAM_PATH = 512;

/**
 * AWS Budgets: amounts are decimal strings (https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Spend.html,
 * pattern `([0-9]*\.)?[0-9]+`), so the limit must print without an exponent; the cap of 1e9 USD a month is a sanity bound
 * (a typo, not a budget), not an AWS limit.
 */
export const MAX_BUDGET_USD = 1e9;

/** RFC 5321 caps an address at 254 characters (https://www.rfc-editor.org/rfc/rfc5321#section-4.5.3.1.3). */
export const MAX_EMAIL_LENGTH = 254;

/**
 * S3 bucket naming (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html): what is wrong with a
 * general purpose bucket name, or undefined.
 */
export function bucketNameBreach(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `is ${name.length} characters; S3 bucket names have 3 to 63`;
  if (!/^[a-z0-9.-]+$/.test(name)) return "may contain only lowercase letters, digits, dots and hyphens";
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) return "must begin and end with a lowercase letter or digit";
  if (name.includes("..")) return "must not contain two adjacent dots";
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return "must not look like an IP address";
  const prefix = ["xn--", "sthree-", "amzn-s3-demo-"].find((p) => name.startsWith(p));
  if (prefix) return `must not start with the reserved prefix ${prefix}`;
  const suffix = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"].find((s) => name.endsWith(s));
  if (suffix) return `must not end with the reserved suffix ${suffix}`;
  return undefined;
}

/**
 * Bedrock's "Inference profiles per account" quota, per Region, which application inference profiles count against
 * (default 1,000, adjustable; https://docs.aws.amazon.com/general/latest/gr/bedrock.html#limits_bedrock).
 */
export const DEFAULT_APPLICATION_PROFILES_PER_REGION = 1000;

/**
 * A CloudWatch alarm on a metric math expression may read at most 10 metrics
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create-alarm-on-metric-math-expression.html).
 */
export const MAX_ALARM_METRICS = 10;

/** S3 object keys are at most 1,024 bytes of UTF-8 (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html). */
export const MAX_S3_KEY_BYTES = 1024;

/**
 * The retention periods CloudWatch Logs accepts, in days
 * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html, retentionInDays).
 */
export const LOG_RETENTION_DAYS: readonly number[] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** A VPC endpoint policy holds at most 20,480 characters, whitespace included (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html). */
export const MAX_ENDPOINT_POLICY_CHARS = 20480;

/**
 * Security groups per network interface: 5 by default, adjustable to 16
 * (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-security-groups); an interface
 * endpoint's network interfaces carry every group named.
 */
export const DEFAULT_SECURITY_GROUPS_PER_INTERFACE = 5;
export const MAX_SECURITY_GROUPS_PER_INTERFACE = 16;

/** A KMS key policy holds at most 32 KB (https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html#key-policy-limit). */
export const MAX_KEY_POLICY_BYTES = 32768;

/**
 * CloudWatch dashboards: at most 500 widgets in a body
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html), at most
 * 500 metrics in a widget and 2,500 in a dashboard, counting the metrics metric math reads even when not drawn
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html, "Dashboards"). PutDashboard
 * documents no maximum body size (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html);
 * the baseline keeps each body under 256,000 bytes, its own budget (UNCONFIRMED that AWS has a lower one; a smaller body
 * also keeps the console's source editor usable). Expressions are counted as metrics, to stay on the safe side.
 */
export const MAX_DASHBOARD_WIDGETS = 500;
export const MAX_DASHBOARD_WIDGET_METRICS = 500;
export const MAX_DASHBOARD_METRICS = 2500;
export const DASHBOARD_BODY_BUDGET_BYTES = 256_000;

/**
 * CloudWatch Logs saved queries (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutQueryDefinition.html):
 * a name of 1-255 characters, a query string of 1-10,000.
 */
export const MAX_QUERY_DEFINITION_NAME = 255;
export const MAX_QUERY_STRING = 10_000;
