import { SyncFailed } from "../../cli/catalog-sync";

/** The SyncFailed a catalog:sync promise rejects with; anything else (success included) fails the test. */
export async function syncFailureOf(p: Promise<unknown>): Promise<SyncFailed> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SyncFailed) return e;
    throw e;
  }
  throw new Error("the sync did not fail");
}
