import {
  type BedrockRuntimeClient,
  ConverseCommand,
  type ConverseRequest,
  ConverseStreamCommand,
  type ConverseStreamOutput,
} from "@aws-sdk/client-bedrock-runtime";
import { buildConverseRequest, type ConversationInput, type RequestShape } from "../core/runtime";
import { type CheckedConverseResponse, type CheckedReply, checkConverseResponse, MalformedResponse } from "./response-check";
import { raiseStreamException, StreamAssembly, type StreamOutput } from "./stream-assembly";

/**
 * THE single attempt: one wire call to one model, the request built by core's builder, the response checked and a
 * stream assembled. The router's retry loop and the smoke probe both call these, so a passing smoke run exercises the
 * code applications run. No retry, no fallback, no breaker here: callers own their policy.
 */

/** One model of a route, as an attempt needs it. */
export interface AttemptTarget {
  /** What goes on the wire as Converse `modelId` (a profile ID, or a bare ID for on-demand). */
  readonly invokeId: string;
  /** The route's limits, tier and guardrail; maxTokens is always sent. */
  readonly route: RequestShape;
}

export interface AttemptOptions {
  /** Cancels the wire call (and a stream's remaining events). Default: none. */
  readonly abortSignal?: AbortSignal;
  /** Caps the route's maxTokens (the smoke probe sends at most PROBE_MAX_TOKENS). Default: no cap. */
  readonly maxTokensCap?: number;
  /** Time source for timeToFirstContentMs. Default: Date.now. */
  readonly now?: () => number;
}

/** A checked Converse answer. */
export interface ConverseAttempt {
  readonly request: ConverseRequest;
  /** The SDK's response, checked. */
  readonly response: CheckedConverseResponse;
  /** Its message, stop reason and usage. */
  readonly reply: CheckedReply;
}

/** The exact request an attempt sends. */
export function attemptRequest(target: AttemptTarget, input: ConversationInput, options: Pick<AttemptOptions, "maxTokensCap"> = {}): ConverseRequest {
  return buildConverseRequest(target.invokeId, target.route, input, options.maxTokensCap === undefined ? {} : { maxTokensCap: options.maxTokensCap });
}

/** One Converse call; throws the SDK's error, or MalformedResponse for a 200 that is not an answer. */
export async function converseOnce(bedrock: BedrockRuntimeClient, target: AttemptTarget, input: ConversationInput, options: AttemptOptions = {}): Promise<ConverseAttempt> {
  const request = attemptRequest(target, input, options);
  const response = await bedrock.send(new ConverseCommand(request), { abortSignal: options.abortSignal });
  return { request, ...checkConverseResponse(response) };
}

/**
 * One ConverseStream call, read up to and including its first content event: everything that can fail before it
 * (HTTP errors, an exception event, a stream that ends empty) is thrown from here, where a caller may still retry or
 * fall back. What comes after is read from the returned OpenedStream.
 */
export async function openConverseStream(bedrock: BedrockRuntimeClient, target: AttemptTarget, input: ConversationInput, options: AttemptOptions = {}): Promise<OpenedStream> {
  const now = options.now ?? Date.now;
  const started = now();
  const request = attemptRequest(target, input, options);
  const response = await bedrock.send(new ConverseStreamCommand(request), { abortSignal: options.abortSignal });
  if (!response.stream) throw new MalformedResponse(["the event stream"]);
  const iterator = response.stream[Symbol.asyncIterator]();
  const assembly = new StreamAssembly(target.invokeId);
  const head: ConverseStreamOutput[] = [];
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done) {
        // Ended before any content: a complete answer only if it still has a stop reason and usage.
        for (const e of head) assembly.absorb(e);
        assembly.finish();
        return new OpenedStream(request, iterator, head, true, undefined);
      }
      head.push(next.value);
      if (next.value.contentBlockDelta || next.value.contentBlockStart) return new OpenedStream(request, iterator, head, false, now() - started, target.invokeId);
      // An exception member before content is thrown here, where it may still be retried.
      raiseStreamException(next.value);
    }
  } catch (e) {
    release(iterator);
    throw e;
  }
}

/**
 * A stream committed to one model (its first content arrived, or it ended cleanly without any). Iterate `events()`
 * once, or call `readToEnd()`; either assembles the message. Errors from here on come after content was delivered.
 */
export class OpenedStream {
  readonly assembly: StreamAssembly;
  private consumed = false;

  constructor(
    readonly request: ConverseRequest,
    private readonly iterator: AsyncIterator<ConverseStreamOutput>,
    /** Events read while opening, up to and including the first content event. */
    readonly head: readonly ConverseStreamOutput[],
    /** The stream had already ended while opening. */
    readonly endedWhileOpening: boolean,
    /** From the request to the first content event; undefined when none came. */
    readonly timeToFirstContentMs: number | undefined,
    invokeId: string = request.modelId ?? "",
  ) {
    this.assembly = new StreamAssembly(invokeId);
  }

  /** Every event (the head first), each absorbed before it is yielded. Ends without checking the result: see finish(). */
  async *events(): AsyncGenerator<ConverseStreamOutput, void, undefined> {
    if (this.consumed) throw new Error("a stream can be read once");
    this.consumed = true;
    let ended = false;
    try {
      for (const e of this.head) {
        this.assembly.absorb(e);
        yield e;
      }
      if (!this.endedWhileOpening) {
        for (;;) {
          const next = await this.iterator.next();
          if (next.done) break;
          this.assembly.absorb(next.value);
          yield next.value;
        }
      }
      ended = true;
    } finally {
      if (!ended) release(this.iterator);
    }
  }

  /** The checked, assembled answer after the last event (StreamEndedEarly / MalformedResponse otherwise). */
  finish(): StreamOutput {
    return this.assembly.finish();
  }

  /** Reads every remaining event and returns the checked answer. */
  async readToEnd(): Promise<StreamOutput> {
    for await (const _ of this.events()) {
      // absorbed by events()
    }
    return this.finish();
  }

  /** Stops reading and releases the connection without waiting. */
  cancel(): void {
    this.consumed = true;
    release(this.iterator);
  }
}

/** Closes an abandoned event stream without waiting for it (the caller's deadline owns the wall time). */
function release(iterator: AsyncIterator<unknown>): void {
  void Promise.resolve()
    .then(() => iterator.return?.())
    .catch(() => undefined);
}
