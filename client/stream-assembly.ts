import type { ContentBlock, ConverseStreamMetrics, ConverseStreamOutput, Message, TokenUsage } from "@aws-sdk/client-bedrock-runtime";
import { checkReply, type CheckedReply, MalformedResponse } from "./response-check";

/** What a completed stream amounts to (the message is assembled from the deltas). */
export interface StreamOutput extends CheckedReply {
  readonly message: Message;
  readonly stopReason: string;
  readonly usage: CheckedReply["usage"];
  readonly metrics?: ConverseStreamMetrics;
}

/** A stream that ended (no error) after content but before messageStop: a cut stream is never a complete answer. */
export class StreamEndedEarly extends Error {
  constructor(invokeId: string) {
    super(`the stream from ${invokeId} ended before messageStop`);
    this.name = "StreamEndedEarly";
  }
}

const STREAM_PARTS = { message: "content events", stopReason: "messageStop.stopReason", usage: "metadata.usage" };

/**
 * Assembles ConverseStream events into the message a Converse call would have returned: text deltas concatenated per
 * content block, tool-use input parsed from its JSON deltas, stop reason and usage. The router's streams and the smoke
 * probe both use it, so what smoke checks is what applications get.
 */
export class StreamAssembly {
  private readonly blocks: ContentBlock[] = [];
  private readonly toolInput = new Map<number, string>();
  private stopReason?: string;
  private usage?: TokenUsage;
  private metrics?: ConverseStreamMetrics;
  private serviceTier?: unknown;
  /** A content event (block start or delta) has been seen: from here on nothing may be retried. */
  contentSeen = false;

  constructor(private readonly invokeId: string) {}

  /** Takes one event; an exception member (if the SDK yields one rather than throwing it) is thrown as an error. */
  absorb(e: ConverseStreamOutput): void {
    if (e.contentBlockStart) {
      this.contentSeen = true;
      const i = e.contentBlockStart.contentBlockIndex ?? this.blocks.length;
      const tool = e.contentBlockStart.start?.toolUse;
      if (tool) this.blocks[i] = { toolUse: { toolUseId: tool.toolUseId, name: tool.name, input: undefined } } as ContentBlock;
    } else if (e.contentBlockDelta) {
      this.contentSeen = true;
      const i = e.contentBlockDelta.contentBlockIndex ?? 0;
      const d = e.contentBlockDelta.delta;
      if (d?.text !== undefined) {
        const b = this.blocks[i] as { text?: string } | undefined;
        this.blocks[i] = { text: (b?.text ?? "") + d.text } as ContentBlock;
      } else if (d?.toolUse?.input !== undefined) {
        this.toolInput.set(i, (this.toolInput.get(i) ?? "") + d.toolUse.input);
      }
    } else if (e.messageStop) {
      this.stopReason = e.messageStop.stopReason ?? "other";
    } else if (e.metadata) {
      this.usage = e.metadata.usage;
      this.metrics = e.metadata.metrics;
      this.serviceTier = e.metadata.serviceTier;
    } else {
      raiseStreamException(e);
    }
  }

  /**
   * The assembled, checked answer once the stream ended. Throws StreamEndedEarly when content came but messageStop
   * did not, MalformedResponse when the parts are missing otherwise.
   */
  finish(): StreamOutput {
    if (this.stopReason === undefined && this.contentSeen) throw new StreamEndedEarly(this.invokeId);
    for (const [i, input] of this.toolInput) {
      const b = this.blocks[i] as { toolUse?: { input?: unknown } } | undefined;
      if (b?.toolUse) {
        try {
          b.toolUse.input = JSON.parse(input);
        } catch {
          b.toolUse.input = input;
        }
      }
    }
    const reply = checkReply({ message: { role: "assistant", content: this.blocks.filter(Boolean) }, stopReason: this.stopReason, usage: this.usage, serviceTier: this.serviceTier }, STREAM_PARTS);
    return { ...reply, ...(this.metrics ? { metrics: this.metrics } : {}) };
  }

  /** Usage seen so far (for the metric record of a stream that broke). */
  get usageSoFar(): TokenUsage | undefined {
    return this.usage;
  }
}

/** Throws an exception member of the stream union as an error named like the SDK names it; other events pass. */
export function raiseStreamException(e: ConverseStreamOutput): void {
  for (const [name, value] of Object.entries(e)) {
    if (!name.endsWith("Exception")) continue;
    const message = typeof (value as { message?: unknown } | undefined)?.message === "string" ? (value as { message: string }).message : name;
    const err = new Error(message);
    err.name = name;
    throw err;
  }
}

export { MalformedResponse };
