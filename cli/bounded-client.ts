import { abortable, type Deadline } from "./deadline";

/*
 * Every AWS call an operator command makes ends: within its per-call timeout and by the command's deadline, whatever
 * the endpoint does (accepts and never answers, drips a byte a second, holds the body open). The SDK's own abort
 * handling stops at the response headers; `abortable` settles the call's promise regardless, and destroying the
 * client at the end closes the socket. An incident tool that hangs is worse than one that fails.
 */

/** The smallest shape of an SDK v3 client this needs. */
interface SendingClient {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  send(command: any, options?: any): Promise<any>;
}

/** Per-call bound and the deadline every call of one command shares. */
export interface CallBounds {
  readonly deadline: Deadline;
  /** One call (SDK retries included) ends after this long. */
  readonly callTimeoutMs: number;
}

/**
 * Returns `client` with `send` bounded: each call gets an abort signal that fires at `callTimeoutMs` or the deadline
 * and rejects with TimeoutError or DeadlineExceeded when it does (cli/deadline.ts). Calls that pass their own
 * `abortSignal` keep it as well.
 */
export function boundClient<C extends SendingClient>(client: C, bounds: CallBounds): C {
  const send = client.send.bind(client);
  client.send = ((command: unknown, options?: { abortSignal?: AbortSignal }) => {
    const own = bounds.deadline.callSignal(bounds.callTimeoutMs);
    const signal = options?.abortSignal ? AbortSignal.any([own, options.abortSignal]) : own;
    return abortable(send(command, { ...(options ?? {}), abortSignal: signal }), signal);
  }) as C["send"];
  return client;
}
