/** Default cap on a webhook body: WorkOS events are a few KiB. */
export const DEFAULT_WEBHOOK_MAX_BODY_BYTES = 64 * 1024;

/**
 * Reads a request body as UTF-8 text, refusing more than `maxBytes` (checked against `Content-Length` first,
 * then while streaming, so an oversized body is never buffered whole). `null` when too large or not valid
 * UTF-8 — decoding is strict so the text signs to exactly the bytes that were sent.
 */
export async function readCappedText(request: Request, maxBytes: number): Promise<string | null> {
  const declared = request.headers.get('content-length');
  if (declared !== null && !(Number(declared) <= maxBytes)) return null;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
