import { displayText } from "../core/problems";
import { changeLines, documentChanges } from "../core/routing";
import { isEmergency, type ToggleResult } from "./change";
import type { ToggleRun } from "./cli";
import type { RoutingDocument } from "../core/runtime";
import { strategyNameOf } from "./deploy-change";

/**
 * `toggle --dry-run`: what the run would deploy, after the same reads and checks as the real one (a refused change is
 * refused here too, exit 1), and the document diff, leaf by leaf. Writes nothing: no version, no deployment, no stop.
 */
export function printDryRun(run: ToggleRun, current: RoutingDocument, result: ToggleResult, running?: { readonly number: number; readonly state: string }): number {
  const { args, io, where } = run;
  if (!result.changed) {
    io.out(`dry run: nothing to change: ${result.summary} is already in effect; nothing was written`);
    return 0;
  }
  const emergency = isEmergency(args.change);
  const stop = running ? `, after stopping deployment ${running.number} (${displayText(running.state, 20)}; --stop-deployment, or a yes on a terminal)` : "";
  io.out(`dry run: would deploy ${result.summary} to ${where} with ${strategyNameOf(run)} (${emergency ? "emergency: all at once" : "routine"})${stop}${args.reason ? `, reason: ${displayText(args.reason)}` : ""}`);
  io.out("dry run: the routing document would change:");
  for (const line of changeLines(documentChanges(current, result.document))) io.out(`  ${line}`);
  io.out("dry run: nothing was written");
  return 0;
}
