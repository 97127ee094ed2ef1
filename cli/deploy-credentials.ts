import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { displayText } from "../core/problems";
import { stsClient } from "./aws-clients";
import { CREDENTIALS_HELP, requireCredentials } from "./aws-endpoints";
import { CliError } from "./user-error";

// Before `deploy` starts Terraform: without credentials, or with another account's, Terraform's own error comes late
// and buried in the cdktf CLI's spinner output. One STS call (GetCallerIdentity needs no permission:
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html) says it in one line first.

/** Time allowed for resolving credentials and the STS call together. */
export const CREDENTIALS_CHECK_TIMEOUT_MS = 15_000;

/** Who the credentials are, when they are the environment's account. */
export interface CallerIdentity {
  readonly arn: string;
  readonly account: string;
}

/**
 * Checks that the SDK's default credentials exist, are accepted by STS and belong to `account` (every stack's provider
 * sets `allowed_account_ids` to it). Throws CliError (exit 2) with one line otherwise. Endpoints are the SDK's
 * (AWS_ENDPOINT_URL_STS and AWS_ENDPOINT_URL are honoured).
 */
export async function checkDeployCredentials(args: { account: string; region: string; file: string; timeoutMs?: number }): Promise<CallerIdentity> {
  const sts = stsClient({ region: args.region });
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), args.timeoutMs ?? CREDENTIALS_CHECK_TIMEOUT_MS);
  try {
    await requireCredentials(sts, controller.signal);
    let r;
    try {
      r = await sts.send(new GetCallerIdentityCommand({}), { abortSignal: controller.signal });
    } catch (err) {
      const e = err as Error;
      const why = controller.signal.aborted ? `no answer within ${(args.timeoutMs ?? CREDENTIALS_CHECK_TIMEOUT_MS) / 1000} s` : `${e.name}: ${e.message}`;
      throw new CliError(`the AWS credentials were not accepted by STS (${displayText(why, 200)}): ${CREDENTIALS_HELP}`, 2);
    }
    if (!r.Account || !r.Arn) throw new CliError("STS GetCallerIdentity answered without an account: retry, or check AWS_ENDPOINT_URL", 2);
    if (r.Account !== args.account)
      throw new CliError(`the AWS credentials are for account ${r.Account} (${displayText(r.Arn, 120)}), but ${args.file} deploys to ${args.account}: use credentials of ${args.account} (AWS_PROFILE)`, 2);
    return { arn: r.Arn, account: r.Account };
  } finally {
    clearTimeout(timer);
    sts.destroy();
  }
}
