import { CloudwatchQueryDefinition } from "./provider-aws";
import { Construct } from "constructs";
import type { SavedQuerySpec } from "../core/observability";

/** Properties of SavedQueries. */
export interface SavedQueriesProps {
  /** The queries (core/observability/saved-queries.ts). Default: none. */
  readonly queries?: readonly SavedQuerySpec[];
}

/**
 * Saved CloudWatch Logs Insights queries (aws_cloudwatch_query_definition) over the routing client's EMF log groups,
 * in the console's folder for the environment; each opens on the configured log groups, or asks for them when none are.
 */
export class SavedQueries extends Construct {
  readonly definitions: readonly CloudwatchQueryDefinition[];

  constructor(scope: Construct, id: string, props: SavedQueriesProps) {
    super(scope, id);
    this.definitions = (props.queries ?? []).map(
      (q) => new CloudwatchQueryDefinition(this, q.id, { name: q.name, queryString: q.queryString, ...(q.logGroupNames.length ? { logGroupNames: [...q.logGroupNames] } : {}) }),
    );
  }
}
