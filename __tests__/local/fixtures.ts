import { type LocalEndpoint, type LocalEndpointOptions, startLocalEndpoint } from "../../local/endpoint";
import { ScenarioError } from "../../local/scenario";
import { destroyClients } from "./clients";

// The local endpoint tests' shared set-up: one stand-in per test file, scenario refusals. (The commands as processes:
// runTs in __tests__/fixtures.ts.)

/**
 * One stand-in for the test file (or the describe block this is called in): started before all, closed after all;
 * after each test its faults, scripted state and call log are reset, `afterEachTest` restores what the file changed,
 * and the SDK clients made through ./clients are destroyed. `use` receives the endpoint once it listens.
 */
export function useEndpoint(options: LocalEndpointOptions, use: (ep: LocalEndpoint) => void, afterEachTest: (ep: LocalEndpoint) => void = () => undefined): void {
  let ep: LocalEndpoint | undefined;
  beforeAll(async () => {
    ep = await startLocalEndpoint(options);
    use(ep);
  });
  afterEach(() => {
    ep?.reset();
    ep?.clearCalls();
    if (ep) afterEachTest(ep);
    destroyClients();
  });
  afterAll(() => ep?.close());
}

/** The ScenarioError `fn` throws (the test fails when it throws nothing or something else). */
export function scenarioError(fn: () => unknown): ScenarioError {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ScenarioError);
  return error as ScenarioError;
}
