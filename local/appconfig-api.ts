import type { CallRecord } from "./call-log";
import { iso, timeline } from "./appconfig-deployments";
import type { Strategy } from "./appconfig-strategies";
import { AppConfigError, type AppConfigStore, type Application, type Deployment, type Environment, type HostedVersion, type Profile, notFound } from "./appconfig-store";
import { bytesReply, isRecord, jsonError, jsonReply, paginate, type WireReply, type WireRequest } from "./wire";

function appconfigError(e: AppConfigError): WireReply {
  return jsonError(e.status, e.errorType, { Message: e.message, ...e.extra });
}

function versionHeaders(app: Application, profile: Profile, v: HostedVersion): Record<string, string> {
  const h: Record<string, string> = {
    "application-id": app.id,
    "configuration-profile-id": profile.id,
    "version-number": String(v.versionNumber),
    "content-type": v.contentType,
  };
  if (v.versionLabel !== undefined) h["versionlabel"] = v.versionLabel;
  if (v.description !== undefined) h["description"] = v.description;
  return h;
}

function intQuery(req: WireRequest, name: string): number | undefined {
  const raw = req.query.get(name);
  return raw === null ? undefined : Number.parseInt(raw, 10);
}

function page<T>(req: WireRequest, items: T[]): { Items: T[]; NextToken?: string } {
  const { page: p, nextToken } = paginate(items, intQuery(req, "max_results"), req.query.get("next_token") ?? undefined, 50);
  return nextToken ? { Items: p, NextToken: nextToken } : { Items: p };
}

function jsonBody(req: WireRequest): Record<string, unknown> {
  let body: unknown;
  try {
    body = req.body.length ? JSON.parse(req.body.toString("utf8")) : {};
  } catch {
    throw new AppConfigError(400, "BadRequestException", "Request body is not valid JSON");
  }
  return isRecord(body) ? body : {};
}

/** CreateDeploymentStrategy's members with AWS's constraints and defaults (LINEAR, no bake, ReplicateTo NONE). */
function strategyInput(b: Record<string, unknown>): Omit<Strategy, "Id"> {
  const bad = (message: string): AppConfigError => new AppConfigError(400, "BadRequestException", message);
  const name = b.Name;
  if (typeof name !== "string" || name.length < 1 || name.length > 64) throw bad("Name is required and must be 1 to 64 characters");
  const int = (key: string, required: boolean): number | undefined => {
    const v = b[key];
    if (v === undefined && !required) return undefined;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 1440) throw bad(`${key} must be an integer from 0 to 1440`);
    return v;
  };
  const duration = int("DeploymentDurationInMinutes", true)!;
  const bake = int("FinalBakeTimeInMinutes", false);
  const growth = b.GrowthFactor;
  if (typeof growth !== "number" || !(growth >= 1 && growth <= 100)) throw bad("GrowthFactor must be a number from 1.0 to 100.0");
  const growthType = b.GrowthType ?? "LINEAR";
  if (growthType !== "LINEAR" && growthType !== "EXPONENTIAL") throw bad("GrowthType must be LINEAR or EXPONENTIAL");
  const replicateTo = b.ReplicateTo ?? "NONE";
  if (replicateTo !== "NONE" && replicateTo !== "SSM_DOCUMENT") throw bad("ReplicateTo must be NONE or SSM_DOCUMENT");
  const description = b.Description;
  if (description !== undefined && (typeof description !== "string" || description.length > 1024)) {
    throw bad("Description must be a string of at most 1024 characters");
  }
  return {
    Name: name,
    ...(description !== undefined ? { Description: description } : {}),
    DeploymentDurationInMinutes: duration,
    GrowthType: growthType,
    GrowthFactor: growth,
    FinalBakeTimeInMinutes: bake ?? 0,
    ReplicateTo: replicateTo,
  };
}

function seg(path: string): string[] {
  try {
    return path.split("/").filter(Boolean).map((s) => decodeURIComponent(s));
  } catch {
    throw new AppConfigError(400, "BadRequestException", "The request path is not valid percent-encoding");
  }
}

/**
 * AppConfig control plane: the read paths plus custom deployment strategies, hosted versions and deployments, per the
 * SDK's Smithy bindings.
 */
export function handleAppConfig(req: WireRequest, region: string, store: AppConfigStore, record: CallRecord): WireReply {
  try {
    return route(req, region, store, record);
  } catch (e) {
    if (e instanceof AppConfigError) return appconfigError(e);
    throw e;
  }
}

/** The Deployment shape StartDeployment, GetDeployment and StopDeployment return. */
function renderDeployment(app: Application, env: Environment, d: Deployment): Record<string, unknown> {
  const t = timeline(d, Date.now());
  return {
    ApplicationId: app.id,
    EnvironmentId: env.id,
    DeploymentStrategyId: d.strategy.Id,
    ConfigurationProfileId: d.profile.id,
    DeploymentNumber: d.number,
    ConfigurationName: d.profile.name,
    ConfigurationLocationUri: "hosted",
    ConfigurationVersion: String(d.version.versionNumber),
    ...(d.description !== undefined ? { Description: d.description } : {}),
    ...(d.kmsKeyIdentifier !== undefined ? { KmsKeyIdentifier: d.kmsKeyIdentifier } : {}),
    DeploymentDurationInMinutes: d.strategy.DeploymentDurationInMinutes,
    GrowthType: d.strategy.GrowthType,
    GrowthFactor: d.strategy.GrowthFactor,
    FinalBakeTimeInMinutes: d.strategy.FinalBakeTimeInMinutes,
    State: t.state,
    EventLog: t.events,
    PercentageComplete: t.percentage,
    StartedAt: iso(d.startedAt),
    ...(t.completedAt !== undefined ? { CompletedAt: iso(t.completedAt) } : {}),
    ...(d.version.versionLabel !== undefined ? { VersionLabel: d.version.versionLabel } : {}),
  };
}

/** One request as the route functions see it: path segments (decoded), method, and where to name the operation. */
interface Call {
  req: WireRequest;
  region: string;
  store: AppConfigStore;
  p: string[];
  m: string;
  op(name: string): void;
}

function route(req: WireRequest, region: string, store: AppConfigStore, record: CallRecord): WireReply {
  const call: Call = {
    req,
    region,
    store,
    p: seg(req.path),
    m: req.method,
    op: (name) => {
      record.operation = name;
    },
  };
  if (call.p[0] === "deploymentstrategies") return strategies(call) ?? unknownRoute(req);
  if (call.p[0] !== "applications") return unknownRoute(req);
  if (call.p[2] === "environments") return environments(call) ?? unknownRoute(req);
  if (call.p[2] === "configurationprofiles") return profiles(call) ?? unknownRoute(req);
  return applications(call) ?? unknownRoute(req);
}

function strategies({ req, region, store, p, m, op }: Call): WireReply | undefined {
  if (p.length === 1 && m === "GET") {
    op("ListDeploymentStrategies");
    return jsonReply(200, page(req, store.listStrategies(region)));
  }
  if (p.length === 1 && m === "POST") {
    op("CreateDeploymentStrategy");
    return jsonReply(201, store.createStrategy(region, strategyInput(jsonBody(req))));
  }
  if (p.length === 2 && m === "GET") {
    op("GetDeploymentStrategy");
    return jsonReply(200, store.strategy(region, p[1], true));
  }
  return undefined;
}

function applications({ req, region, store, p, m, op }: Call): WireReply | undefined {
  if (p.length === 1 && m === "GET") {
    op("ListApplications");
    return jsonReply(200, page(req, store.listApps(region).map((a) => ({ Id: a.id, Name: a.name }))));
  }
  if (p.length === 2 && m === "GET") {
    op("GetApplication");
    const a = store.app(region, p[1]);
    return jsonReply(200, { Id: a.id, Name: a.name });
  }
  return undefined;
}

function environments({ req, region, store, p, m, op }: Call): WireReply | undefined {
  const app = (): Application => store.app(region, p[1]);
  const renderEnv = (a: Application, e: Environment) => ({
    ApplicationId: a.id,
    Id: e.id,
    Name: e.name,
    State: store.envState(e),
    Monitors: e.monitors,
  });
  if (p.length === 3 && m === "GET") {
    op("ListEnvironments");
    const a = app();
    return jsonReply(200, page(req, a.environments.map((e) => renderEnv(a, e))));
  }
  if (p.length === 4 && m === "GET") {
    op("GetEnvironment");
    const a = app();
    return jsonReply(200, renderEnv(a, store.env(a, p[3])));
  }
  if (p[4] !== "deployments") return undefined;
  if (p.length === 5 && m === "POST") {
    op("StartDeployment");
    const a = app();
    const e = store.env(a, p[3]);
    const b = jsonBody(req);
    const str = (k: string): string | undefined => (typeof b[k] === "string" ? (b[k] as string) : undefined);
    const profileId = str("ConfigurationProfileId");
    const strategyId = str("DeploymentStrategyId");
    const version = str("ConfigurationVersion");
    if (!profileId || !strategyId || !version) {
      throw new AppConfigError(
        400,
        "BadRequestException",
        "ConfigurationProfileId, DeploymentStrategyId and ConfigurationVersion are required",
      );
    }
    const d = store.startDeployment(a, e, {
      profileId,
      strategyId,
      version,
      ...(str("Description") !== undefined ? { description: str("Description") } : {}),
      ...(typeof b.LatestDeploymentNumber === "number" ? { latestDeploymentNumber: b.LatestDeploymentNumber } : {}),
      ...(str("KmsKeyIdentifier") !== undefined ? { kmsKeyIdentifier: str("KmsKeyIdentifier") } : {}),
    });
    return jsonReply(201, renderDeployment(a, e, d));
  }
  if (p.length === 5 && m === "GET") {
    op("ListDeployments");
    const a = app();
    const e = store.env(a, p[3]);
    const items = [...e.deployments].reverse().map((d) => {
      const full = renderDeployment(a, e, d);
      const keys = [
        "DeploymentNumber", "ConfigurationProfileId", "ConfigurationName", "ConfigurationVersion",
        "DeploymentDurationInMinutes", "GrowthType", "GrowthFactor", "FinalBakeTimeInMinutes", "State",
        "PercentageComplete", "StartedAt", "CompletedAt", "VersionLabel",
      ];
      return Object.fromEntries(keys.filter((k) => k in full).map((k) => [k, full[k]]));
    });
    return jsonReply(200, page(req, items));
  }
  if (p.length === 6 && (m === "GET" || m === "DELETE")) {
    op(m === "GET" ? "GetDeployment" : "StopDeployment");
    const a = app();
    const e = store.env(a, p[3]);
    const d = e.deployments.find((x) => String(x.number) === p[5]);
    if (!d) throw notFound("Deployment", p[5]);
    if (m === "DELETE") {
      store.stopDeployment(e, d, (req.headers["allow-revert"] ?? "").toLowerCase() === "true");
      return jsonReply(202, renderDeployment(a, e, d));
    }
    return jsonReply(200, renderDeployment(a, e, d));
  }
  return undefined;
}

function profiles({ req, region, store, p, m, op }: Call): WireReply | undefined {
  const app = (): Application => store.app(region, p[1]);
  if (p.length === 3 && m === "GET") {
    op("ListConfigurationProfiles");
    const a = app();
    return jsonReply(
      200,
      page(
        req,
        a.profiles.map((pr) => ({
          ApplicationId: a.id,
          Id: pr.id,
          Name: pr.name,
          LocationUri: "hosted",
          ValidatorTypes: pr.validators.map((v) => v.Type),
          Type: "AWS.Freeform",
        })),
      ),
    );
  }
  if (p.length === 4 && m === "GET") {
    op("GetConfigurationProfile");
    const a = app();
    const pr = store.profile(a, p[3]);
    return jsonReply(200, {
      ApplicationId: a.id,
      Id: pr.id,
      Name: pr.name,
      LocationUri: "hosted",
      Validators: pr.validators,
      Type: "AWS.Freeform",
    });
  }
  if (p[4] !== "hostedconfigurationversions") return undefined;
  if (p.length === 5 && m === "POST") {
    op("CreateHostedConfigurationVersion");
    const a = app();
    const pr = store.profile(a, p[3]);
    const contentType = req.headers["content-type"];
    if (!contentType) throw new AppConfigError(400, "BadRequestException", "Content-Type is required");
    const lock = req.headers["latest-version-number"];
    const v = store.createVersion(pr, req.body, contentType, {
      ...(lock !== undefined ? { latestVersionNumber: Number.parseInt(lock, 10) } : {}),
      ...(req.headers["versionlabel"] !== undefined ? { versionLabel: req.headers["versionlabel"] } : {}),
      ...(req.headers["description"] !== undefined ? { description: req.headers["description"] } : {}),
    });
    return bytesReply(201, v.content, versionHeaders(a, pr, v));
  }
  if (p.length === 5 && m === "GET") {
    op("ListHostedConfigurationVersions");
    const a = app();
    const pr = store.profile(a, p[3]);
    const label = req.query.get("version_label");
    const items = [...pr.versions]
      .reverse()
      .filter((v) => label === null || v.versionLabel === label)
      .map((v) => ({
        ApplicationId: a.id,
        ConfigurationProfileId: pr.id,
        VersionNumber: v.versionNumber,
        ContentType: v.contentType,
        ...(v.versionLabel !== undefined ? { VersionLabel: v.versionLabel } : {}),
        ...(v.description !== undefined ? { Description: v.description } : {}),
      }));
    return jsonReply(200, page(req, items));
  }
  if (p.length === 6 && m === "GET") {
    op("GetHostedConfigurationVersion");
    const a = app();
    const pr = store.profile(a, p[3]);
    const v = pr.versions.find((x) => String(x.versionNumber) === p[5]);
    if (!v) throw notFound("Hosted configuration version", p[5]);
    return bytesReply(200, v.content, versionHeaders(a, pr, v));
  }
  return undefined;
}

function unknownRoute(req: WireRequest): WireReply {
  return jsonError(404, "UnknownOperationException", { Message: `No local route for ${req.method} ${req.path}` });
}
