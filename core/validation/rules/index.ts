import type { EnvironmentRule } from "../rule";
import { alarmRecipients } from "./alarm-recipients";
import { alarmWindow } from "./alarm-window";
import { applicationProfileLimits } from "./application-profile-limits";
import { budgetEmailCount } from "./budget-email-count";
import { catalogModels } from "./catalog-models";
import { controlCharacters } from "./control-characters";
import { costAttributionSettings } from "./cost-attribution-settings";
import { dashboardLimits } from "./dashboard-limits";
import { derivedNameRules } from "./derived-names";
import { distinctEntries } from "./distinct-entries";
import { encryptionKeys } from "./encryption-keys";
import { endpointPolicySize } from "./endpoint-policy-size";
import { fileName } from "./file-name";
import { guardrailPerModel } from "./guardrail-per-model";
import { guardrailPolicyConflicts } from "./guardrail-policy-conflicts";
import { guardrailRegexes } from "./guardrail-regexes";
import { guardrailReferences } from "./guardrail-references";
import { invocationLoggingSettings } from "./invocation-logging-settings";
import { managedPolicyLimits } from "./managed-policy-limits";
import { modelQuotaCodes } from "./model-quota-codes";
import { networkSettings } from "./network-settings";
import { onePartition } from "./one-partition";
import { organizationGuardSettings } from "./organization-guard-settings";
import { principalAccounts } from "./principal-accounts";
import { privateEndpointSettings } from "./private-endpoint-settings";
import { quotaStoreSettings } from "./quota-store-settings";
import { rollbackAlarmLimits } from "./rollback-alarm-limits";
import { routeCandidateRules } from "./route-candidates";
import { routeLatencyBudget } from "./route-latency-budget";
import { routeOutputLimit } from "./route-output-limit";
import { routeQuotaShare } from "./route-quota-share";
import { routeRefusalFallback } from "./route-refusal-fallback";
import { routeRequestParameters } from "./route-request-parameters";
import { routeServiceTier } from "./route-service-tier";
import { routesDeclared } from "./routes-declared";
import { routingValidatorSize } from "./routing-validator-size";
import { stateBackend } from "./state-backend";
import { tagRules } from "./tag-rules";
import { trustPolicySize } from "./trust-policy-size";
import { ttftOnStreamingRoutes } from "./ttft-on-streaming-routes";
import { workloadPrincipals } from "./workload-principals";
import { workloadRoutes } from "./workload-routes";

/**
 * Every rule an environment file is checked against, in the order their problems are listed (validateEnvironment runs
 * them stage by stage: draft, models, plan). A new check is one file here and its table of cases in
 * __tests__/core/validation/rules/<name>.test.ts.
 */
export const ENVIRONMENT_RULES: readonly EnvironmentRule[] = [
  fileName,
  distinctEntries,
  onePartition,
  stateBackend,
  controlCharacters,
  routesDeclared,
  ttftOnStreamingRoutes,
  routeLatencyBudget,
  routeRefusalFallback,
  guardrailReferences,
  guardrailRegexes,
  workloadRoutes,
  workloadPrincipals,
  organizationGuardSettings,
  networkSettings,
  privateEndpointSettings,
  quotaStoreSettings,
  invocationLoggingSettings,
  encryptionKeys,
  tagRules,
  costAttributionSettings,
  alarmWindow,
  alarmRecipients,
  derivedNameRules,
  principalAccounts,
  trustPolicySize,
  budgetEmailCount,
  catalogModels,
  routeCandidateRules,
  routeOutputLimit,
  routeServiceTier,
  routeRequestParameters,
  routingValidatorSize,
  rollbackAlarmLimits,
  dashboardLimits,
  managedPolicyLimits,
  applicationProfileLimits,
  endpointPolicySize,
  modelQuotaCodes,
  routeQuotaShare,
  guardrailPerModel,
  guardrailPolicyConflicts,
];
