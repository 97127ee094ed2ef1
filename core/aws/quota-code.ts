/**
 * A Service Quotas quota code as AWS lists Bedrock's quotas (`L-` and eight upper-case hex digits, e.g. `L-58BE175A`):
 * https://docs.aws.amazon.com/servicequotas/2019-06-24/apireference/API_ListServiceQuotas.html. Codes end up in
 * Terraform data sources and IAM-free expressions, so nothing else is ever taken for one.
 */
export const QUOTA_CODE_PATTERN = /^L-[0-9A-F]{8}$/;

/** The message a value that is not a quota code gets, wherever one is parsed. */
export const QUOTA_CODE_MESSAGE = "is not a Service Quotas code (L-XXXXXXXX)";
