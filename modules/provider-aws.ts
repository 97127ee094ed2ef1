/**
 * The one place AWS provider resources are imported from, each by its deep path: the package root is an eager barrel of
 * ~2,200 modules that costs ~3x the synth time and memory (see `npm run bench:synth`). Switching to CDK Terrain changes
 * only the package name here (`@cdktn/provider-aws/lib/...`).
 */
export { AppconfigApplication } from "@cdktf/provider-aws/lib/appconfig-application";
export { AppconfigConfigurationProfile } from "@cdktf/provider-aws/lib/appconfig-configuration-profile";
export { AppconfigDeployment } from "@cdktf/provider-aws/lib/appconfig-deployment";
export { AppconfigDeploymentStrategy } from "@cdktf/provider-aws/lib/appconfig-deployment-strategy";
export { AppconfigEnvironment } from "@cdktf/provider-aws/lib/appconfig-environment";
export { AppconfigHostedConfigurationVersion } from "@cdktf/provider-aws/lib/appconfig-hosted-configuration-version";
export { BedrockGuardrail, type BedrockGuardrailConfig } from "@cdktf/provider-aws/lib/bedrock-guardrail";
export { BedrockGuardrailVersion } from "@cdktf/provider-aws/lib/bedrock-guardrail-version";
export { BedrockInferenceProfile } from "@cdktf/provider-aws/lib/bedrock-inference-profile";
export { BcmdataexportsExport } from "@cdktf/provider-aws/lib/bcmdataexports-export";
export { CeCostAllocationTag } from "@cdktf/provider-aws/lib/ce-cost-allocation-tag";
export { BedrockModelInvocationLoggingConfiguration } from "@cdktf/provider-aws/lib/bedrock-model-invocation-logging-configuration";
export { BudgetsBudget, type BudgetsBudgetCostFilter } from "@cdktf/provider-aws/lib/budgets-budget";
export { CloudwatchCompositeAlarm } from "@cdktf/provider-aws/lib/cloudwatch-composite-alarm";
export { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
export { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
export { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
export { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
export { CloudwatchMetricAlarm, type CloudwatchMetricAlarmConfig } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
export { CloudwatchQueryDefinition } from "@cdktf/provider-aws/lib/cloudwatch-query-definition";
export { DataAwsBedrockFoundationModels } from "@cdktf/provider-aws/lib/data-aws-bedrock-foundation-models";
export { DataAwsBedrockInferenceProfiles } from "@cdktf/provider-aws/lib/data-aws-bedrock-inference-profiles";
export { DataAwsServicequotasServiceQuota } from "@cdktf/provider-aws/lib/data-aws-servicequotas-service-quota";
export { DataAwsSubnet } from "@cdktf/provider-aws/lib/data-aws-subnet";
export { ElasticacheServerlessCache } from "@cdktf/provider-aws/lib/elasticache-serverless-cache";
export { ElasticacheUser } from "@cdktf/provider-aws/lib/elasticache-user";
export { ElasticacheUserGroup } from "@cdktf/provider-aws/lib/elasticache-user-group";
export { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
export { IamRole } from "@cdktf/provider-aws/lib/iam-role";
export { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
export { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
export { IamUserPolicyAttachment } from "@cdktf/provider-aws/lib/iam-user-policy-attachment";
export { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
export { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
export { OrganizationsPolicy } from "@cdktf/provider-aws/lib/organizations-policy";
export { OrganizationsPolicyAttachment } from "@cdktf/provider-aws/lib/organizations-policy-attachment";
export { AwsProvider } from "@cdktf/provider-aws/lib/provider";
export { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
export { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
export { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
export { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
export { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
export { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
export { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
export { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
export { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
export { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
