import { randomBytes } from "node:crypto";
import { AppConfigError, type AppConfigStore, type Application, type Environment, type Profile } from "./appconfig-store";
import type { CallRecord } from "./call-log";
import { bytesReply, isRecord, jsonError, jsonReply, type WireReply, type WireRequest } from "./wire";

/** Poll interval returned when the session did not ask for one, seconds. */
export const DEFAULT_POLL_INTERVAL_SECONDS = 60;

interface Session {
  app: Application;
  env: Environment;
  profile: Profile;
  intervalSeconds: number;
  /** Hosted version number last sent with a body; a poll returns content only when the live version differs. */
  lastVersion?: number;
}

/**
 * AppConfigData sessions. Tokens are single use: each poll spends its token and hands out the next one, so a
 * client that reuses a token (a classic caching bug) gets the BadRequestException it would get from AWS.
 */
export class AppConfigDataSessions {
  private readonly tokens = new Map<string, { session: Session; spent: boolean }>();

  constructor(private readonly store: AppConfigStore) {}

  private issue(session: Session): string {
    const token = randomBytes(48).toString("base64url");
    this.tokens.set(token, { session, spent: false });
    return token;
  }

  handle(req: WireRequest, region: string, record: CallRecord): WireReply {
    try {
      if (req.method === "POST" && req.path === "/configurationsessions") {
        record.operation = "StartConfigurationSession";
        return this.start(req, region);
      }
      if (req.method === "GET" && req.path === "/configuration") {
        record.operation = "GetLatestConfiguration";
        return this.poll(req);
      }
      return jsonError(404, "UnknownOperationException", { Message: `No local route for ${req.method} ${req.path}` });
    } catch (e) {
      if (e instanceof AppConfigError) {
        const resourceType = /^(Application|Environment|ConfigurationProfile)\b/.exec(e.message)?.[1];
        return jsonError(e.status, e.errorType, { Message: e.message, ...(resourceType ? { ResourceType: resourceType } : {}) });
      }
      throw e;
    }
  }

  private start(req: WireRequest, region: string): WireReply {
    let body: unknown;
    try {
      body = req.body.length ? JSON.parse(req.body.toString("utf8")) : {};
    } catch {
      return badRequest("Request body is not valid JSON");
    }
    const b = isRecord(body) ? body : {};
    const ident = (k: string): string => (typeof b[k] === "string" ? (b[k] as string) : "");
    const app = this.store.app(region, ident("ApplicationIdentifier"), true);
    const env = this.store.env(app, ident("EnvironmentIdentifier"), true);
    const profile = this.store.profile(app, ident("ConfigurationProfileIdentifier"), true);
    const interval = b.RequiredMinimumPollIntervalInSeconds;
    if (interval !== undefined && (typeof interval !== "number" || interval < 15 || interval > 86400)) {
      return badRequest("RequiredMinimumPollIntervalInSeconds must be between 15 and 86400");
    }
    const session: Session = {
      app,
      env,
      profile,
      intervalSeconds: typeof interval === "number" ? interval : DEFAULT_POLL_INTERVAL_SECONDS,
    };
    return jsonReply(201, { InitialConfigurationToken: this.issue(session) });
  }

  private poll(req: WireRequest): WireReply {
    const token = req.query.get("configuration_token") ?? "";
    const entry = this.tokens.get(token);
    if (!entry) return badRequest("The configuration token is invalid.", "Corrupted");
    if (entry.spent) {
      return badRequest(
        "The configuration token has already been used. Use the NextPollConfigurationToken from the previous response.",
        "Expired",
      );
    }
    entry.spent = true;
    const { session } = entry;
    const live = this.store.live(session.env, session.profile);
    const changed = live !== undefined && live.versionNumber !== session.lastVersion;
    if (changed) session.lastVersion = live.versionNumber;
    const headers: Record<string, string> = {
      "next-poll-configuration-token": this.issue(session),
      "next-poll-interval-in-seconds": String(session.intervalSeconds),
      "content-type": live?.contentType ?? "application/octet-stream",
    };
    if (live?.versionLabel !== undefined) headers["version-label"] = live.versionLabel;
    return bytesReply(200, changed ? live.content : Buffer.alloc(0), headers);
  }
}

function badRequest(message: string, problem?: "Corrupted" | "Expired"): WireReply {
  return jsonError(400, "BadRequestException", {
    Message: message,
    ...(problem ? { Reason: "InvalidParameters", Details: { InvalidParameters: { ConfigurationToken: { Problem: problem } } } } : {}),
  });
}
