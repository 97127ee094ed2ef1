import { invocationLoggingSettings } from "../../../../core/validation/rules/invocation-logging-settings";
import { ruleTable } from "./rule-table";

ruleTable(invocationLoggingSettings, [
  { name: "off", edit: () => {}, problems: [] },
  { name: "metadata only to CloudWatch Logs (defaults)", edit: (e) => (e.invocationLogging = { enabled: true }), problems: [] },
  { name: "text payloads with a retention period", edit: (e) => (e.invocationLogging = { enabled: true, payloads: { enabled: true, retentionDays: 30 } }), problems: [] },
  { name: "image payloads to S3 with any retention", edit: (e) => (e.invocationLogging = { enabled: true, destinations: ["s3"], retentionDays: 10, payloads: { enabled: true, kinds: ["image"], retentionDays: 45 } }), problems: [] },
  { name: "payloads without a retention period", edit: (e) => (e.invocationLogging = { enabled: true, payloads: { enabled: true } }), problems: [{ path: "invocationLogging.payloads.retentionDays", message: /^is missing: logging prompts and answers needs an explicit retention period/ }] },
  { name: "a retention CloudWatch Logs does not accept", edit: (e) => (e.invocationLogging = { enabled: true, retentionDays: 100 }), problems: [{ path: "invocationLogging.retentionDays", message: "100 days is not a retention CloudWatch Logs accepts" }] },
  {
    name: "a payload retention CloudWatch Logs does not accept",
    edit: (e) => (e.invocationLogging = { enabled: true, payloads: { enabled: true, retentionDays: 45 } }),
    problems: [{ path: "invocationLogging.payloads.retentionDays", message: "45 days is not a retention CloudWatch Logs accepts" }],
  },
  {
    name: "video payloads without the S3 destination",
    edit: (e) => (e.invocationLogging = { enabled: true, payloads: { enabled: true, kinds: ["text", "video"], retentionDays: 30 } }),
    problems: [{ path: "invocationLogging.destinations", message: 'has no "s3": video payloads are delivered to S3 only' }],
  },
  { name: "payloads while logging is off", edit: (e) => (e.invocationLogging = { payloads: { enabled: true, retentionDays: 30 } }), problems: [{ path: "invocationLogging.payloads.enabled", message: /nothing is logged/ }] },
  { name: "a destination listed twice", edit: (e) => (e.invocationLogging = { enabled: true, destinations: ["s3", "s3"] }), problems: [{ path: "invocationLogging.destinations[1]", message: /is listed twice/ }] },
  {
    name: "a bucket name too long for S3",
    edit: (e) => Object.assign(e, { name: "a-very-long-environment-name-x", invocationLogging: { enabled: true, destinations: ["s3"] } }),
    options: { expectedName: "a-very-long-environment-name-x" },
    problems: [{ path: "regions[0]", message: /^the invocation log bucket of us-east-1 \(bedrock-a-very-long-environment-name-x-111111111111-us-east-1-invocation-logs\) is 77 characters/ }],
  },
]);
