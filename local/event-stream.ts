import { EventStreamCodec } from "@smithy/core/event-streams";
import { fromUtf8, toUtf8 } from "@smithy/core/serde";

/** Content type of an AWS event stream response body. */
export const EVENT_STREAM_CONTENT_TYPE = "application/vnd.amazon.eventstream";

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function str(value: string): { type: "string"; value: string } {
  return { type: "string", value };
}

function frame(messageType: "event" | "exception", typeHeader: ":event-type" | ":exception-type", type: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: { ":message-type": str(messageType), [typeHeader]: str(type), ":content-type": str("application/json") },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

/** One union member of the stream; `:event-type` is the member name the SDK dispatches on. */
export function eventFrame(eventType: string, payload: unknown): Uint8Array {
  return frame("event", ":event-type", eventType, payload);
}

/**
 * A modelled error inside an open stream (HTTP status already 200). `:exception-type` must be the union member
 * name in camelCase (`modelStreamErrorException`), which is how the SDK finds the error shape to raise.
 */
export function exceptionFrame(exceptionType: string, payload: unknown): Uint8Array {
  return frame("exception", ":exception-type", exceptionType, payload);
}
