import type { IncomingMessage } from 'node:http';
import { WorkosApiError } from './api-error';

/** What a route handler answers; the server writes it out. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** JSON reply; the SDK only parses bodies labelled `application/json`. */
export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  };
}

/** HTML reply that is never cached or framed (the sign-in form takes passwords). */
export function htmlReply(status: number, markup: string): Reply {
  return {
    status,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'X-Frame-Options': 'DENY' },
    body: markup,
  };
}

/** 302 to `location`, uncached (every authorize response is single use). */
export function redirectReply(location: string): Reply {
  return { status: 302, headers: { Location: location, 'Cache-Control': 'no-store' } };
}

/** A reply without a body, e.g. 204 for `DELETE /auth/factors/{id}`. */
export function emptyReply(status: number): Reply {
  return { status };
}

const MAX_BODY_BYTES = 1_000_000;

/** Reads the whole request body as UTF-8, refusing bodies over 1 MB. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES)
      throw new WorkosApiError(413, { code: 'payload_too_large', message: 'Request body exceeds 1 MB.' });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Parses a JSON object body. An empty body is `{}` (the SDK sends no body for some POSTs).
 * @throws {WorkosApiError} 400 for malformed JSON or a non-object.
 */
export function parseJsonObject(raw: string): Record<string, unknown> {
  if (raw.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new WorkosApiError(400, { code: 'invalid_json', message: 'The request body is not valid JSON.' });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WorkosApiError(400, { code: 'invalid_json', message: 'The request body must be a JSON object.' });
  }
  return value as Record<string, unknown>;
}

/** True for the loopback addresses control routes accept. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const plain = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return plain === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(plain);
}
