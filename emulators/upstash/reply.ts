/**
 * A Redis reply as the stand-in's backends produce it: `Buffer` is a bulk string, `string` a status
 * (simple string) such as `OK`, `Error` an error nested in an array (e.g. inside EXEC).
 */
export type Reply = null | number | string | Buffer | Error | readonly Reply[];

/** Outcome of one command in a pipeline or transaction, in Upstash's JSON shape. */
export type Outcome = { result: unknown } | { error: string };

/** A Redis error reply (`ERR …`, `WRONGTYPE …`, `EXECABORT …`) to be sent as `{"error": message}`. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}

/**
 * Converts a reply to JSON the way Upstash does. With `Upstash-Encoding: base64` every string is base64
 * except the status `OK`, which `@upstash/redis` expects verbatim; numbers, null and array structure stay.
 */
export function encodeReply(reply: Reply, base64: boolean): unknown {
  if (reply === null || typeof reply === 'number') return reply;
  if (reply instanceof Error) return reply.message;
  if (Buffer.isBuffer(reply)) return base64 ? reply.toString('base64') : reply.toString('utf8');
  if (typeof reply === 'string')
    return base64 && reply !== 'OK' ? Buffer.from(reply, 'utf8').toString('base64') : reply;
  return reply.map((item) => encodeReply(item, base64));
}

/** Message of an error thrown by a backend, as Redis would word it. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
