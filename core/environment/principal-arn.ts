import { z } from "zod";
import { MAX_IAM_PATH, MAX_IAM_PRINCIPAL_NAME } from "../aws";
import { quote } from "../problems";
import { issue } from "./schema-issue";

/** `arn:aws:iam::123456789012:role/path/name` (or `:user/`): account, kind, path and name; undefined if not one. */
export function parsePrincipalArn(arn: string): { partition: string; account: string; kind: "role" | "user"; path: string; name: string } | undefined {
  const m = /^arn:(aws|aws-us-gov):iam::(\d{12}):(role|user)(\/(?:[\w+=,.@-]+\/)*)([\w+=,.@-]+)$/.exec(arn);
  return m ? { partition: m[1], account: m[2], kind: m[3] as "role" | "user", path: m[4], name: m[5] } : undefined;
}

/** IAM identity of a principal ARN: role and user names are unique per account whatever their path, ignoring case. */
export function principalIdentity(arn: string): string {
  const p = parsePrincipalArn(arn);
  return p ? `${p.account}:${p.kind}:${p.name.toLowerCase()}` : arn;
}

/** An IAM role or user ARN within IAM's name and path limits. */
export const iamPrincipalArn = z.string().superRefine((v, ctx) => {
  const p = parsePrincipalArn(v);
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html: names 1-64 characters, paths 1-512.
  if (!p) issue(ctx, `${quote(v)} is not an IAM role or user ARN`, "use arn:aws:iam::<account>:role/<name> (or :user/<name>)");
  else if (p.name.length > MAX_IAM_PRINCIPAL_NAME) issue(ctx, `the ${p.kind} name is ${p.name.length} characters; IAM allows ${MAX_IAM_PRINCIPAL_NAME}`, "check the ARN");
  else if (p.path.length > MAX_IAM_PATH) issue(ctx, `the path is ${p.path.length} characters; IAM allows ${MAX_IAM_PATH}`, "check the ARN");
});
