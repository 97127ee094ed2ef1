import { iso, timeline } from "./appconfig-deployments";
import type { Application, DeploymentView, HostedVersionView } from "./appconfig-model";

/** Every deployment of the matching applications and environments, its state evaluated now (oldest first). */
export function deploymentViews(apps: readonly Application[], filter: { region?: string; application?: string; environment?: string } = {}): DeploymentView[] {
  const now = Date.now();
  const out: DeploymentView[] = [];
  for (const app of apps) {
    if (filter.region !== undefined && app.region !== filter.region) continue;
    if (filter.application !== undefined && filter.application !== app.id && filter.application !== app.name) continue;
    for (const env of app.environments) {
      if (filter.environment !== undefined && filter.environment !== env.id && filter.environment !== env.name) continue;
      for (const d of env.deployments) {
        const t = timeline(d, now);
        out.push({
          region: app.region,
          applicationId: app.id,
          environmentId: env.id,
          profileId: d.profile.id,
          deploymentNumber: d.number,
          configurationVersion: d.version.versionNumber,
          strategyId: d.strategy.Id,
          state: t.state,
          eventLog: t.events,
          startedAt: iso(d.startedAt),
          ...(t.completedAt !== undefined ? { completedAt: iso(t.completedAt) } : {}),
          ...(d.description !== undefined ? { description: d.description } : {}),
          ...(d.kmsKeyIdentifier !== undefined ? { kmsKeyIdentifier: d.kmsKeyIdentifier } : {}),
        });
      }
    }
  }
  return out;
}

/** Every hosted version of the matching applications and profiles, content as text. */
export function hostedVersionViews(apps: readonly Application[], filter: { region?: string; application?: string; profile?: string } = {}): HostedVersionView[] {
  const out: HostedVersionView[] = [];
  for (const app of apps) {
    if (filter.region !== undefined && app.region !== filter.region) continue;
    if (filter.application !== undefined && filter.application !== app.id && filter.application !== app.name) continue;
    for (const p of app.profiles) {
      if (filter.profile !== undefined && filter.profile !== p.id && filter.profile !== p.name) continue;
      for (const v of p.versions) {
        out.push({
          region: app.region,
          applicationId: app.id,
          profileId: p.id,
          versionNumber: v.versionNumber,
          content: v.content.toString("utf8"),
          contentType: v.contentType,
          ...(v.versionLabel !== undefined ? { versionLabel: v.versionLabel } : {}),
          ...(v.description !== undefined ? { description: v.description } : {}),
        });
      }
    }
  }
  return out;
}
