import { Lazy } from "./terraform-cdk";
import { SnsTopic, SnsTopicPolicy, SnsTopicSubscription } from "./provider-aws";
import { Construct } from "constructs";
import { PolicyDocument } from "../core/iam";
import { emailSubscriptionId } from "./construct-ids";

/** Properties of a NotificationTopic. */
export interface NotificationTopicProps {
  /** SNS topic name. */
  readonly topicName: string;
  /** Account that owns the topic; publishing services are restricted to it with `aws:SourceAccount`. */
  readonly account: string;
  /** Email addresses subscribed to the topic (each must confirm the subscription). Default: none. */
  readonly emails?: readonly string[];
  /** AWS service principals allowed to publish, e.g. `cloudwatch.amazonaws.com`. Default: none (see `grantPublish`). */
  readonly publishers?: readonly string[];
  /** Customer managed key for server-side encryption (its policy must let the publishers use it). Default: none (unencrypted, as SNS's own default). */
  readonly keyArn?: string;
}

/** An SNS topic for operational notifications: email subscriptions and a policy letting AWS services publish. */
export class NotificationTopic extends Construct {
  readonly topic: SnsTopic;
  /** ARN of the topic (a Terraform reference). */
  readonly topicArn: string;
  private readonly publishers: string[];

  constructor(scope: Construct, id: string, props: NotificationTopicProps) {
    super(scope, id);
    this.publishers = [...(props.publishers ?? [])];
    this.topic = new SnsTopic(this, "topic", { name: props.topicName, ...(props.keyArn ? { kmsMasterKeyId: props.keyArn } : {}) });
    this.topicArn = this.topic.arn;
    new SnsTopicPolicy(this, "policy", {
      arn: this.topic.arn,
      // Lazy so grantPublish() calls made after construction are included.
      policy: Lazy.stringValue({ produce: () => JSON.stringify(this.policyDocument(props.account)) }),
    });
    for (const email of props.emails ?? []) {
      // Derived from the address, not the position, so reordering the list keeps every Terraform address.
      new SnsTopicSubscription(this, emailSubscriptionId(email), { topicArn: this.topic.arn, protocol: "email", endpoint: email });
    }
  }

  /** Lets an AWS service (e.g. `budgets.amazonaws.com`) publish, only on behalf of the owning account. */
  grantPublish(servicePrincipal: string): void {
    if (!this.publishers.includes(servicePrincipal)) this.publishers.push(servicePrincipal);
  }

  private policyDocument(account: string): PolicyDocument {
    if (this.publishers.length === 0) throw new Error(`NotificationTopic ${this.node.path}: no publishers; pass props.publishers or call grantPublish()`);
    return {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AllowServicePublish",
          Effect: "Allow",
          Principal: { Service: [...this.publishers] },
          Action: ["sns:Publish"],
          Resource: this.topic.arn,
          // Confused-deputy guard: the service may publish only for alarms/budgets of this account.
          Condition: { StringEquals: { "aws:SourceAccount": account } },
        },
      ],
    };
  }
}
