import type * as OpenTelemetryApi from "@opentelemetry/api";

/**
 * `@opentelemetry/api`, when the application has it installed: an optional peer dependency of the package. It is
 * looked up once, and required only when it resolves, so an application without it loads nothing extra and pays
 * nothing per call. The API module shares its providers through a process-wide registry, so the copy resolved from
 * here sees the providers the application registered with its own copy (https://opentelemetry.io/docs/languages/js/).
 */
export type OpenTelemetryApiModule = typeof OpenTelemetryApi;

let loaded: OpenTelemetryApiModule | null | undefined;

export function openTelemetryApi(): OpenTelemetryApiModule | undefined {
  if (loaded === undefined) {
    try {
      require.resolve("@opentelemetry/api");
      loaded = require("@opentelemetry/api") as OpenTelemetryApiModule;
    } catch {
      loaded = null;
    }
  }
  return loaded ?? undefined;
}
