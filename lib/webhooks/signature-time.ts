/**
 * The `t=` value of a `WorkOS-Signature` header (`t=<ms>, v1=<hex>`), in epoch milliseconds; `null` when
 * absent or not a number. WorkOS's `t` is in milliseconds, not seconds.
 */
export function signatureTimestampMs(sigHeader: string): number | null {
  const first = sigHeader.split(',')[0]?.trim() ?? '';
  const match = /^t=(\d{1,16})$/.exec(first);
  return match ? Number(match[1]) : null;
}
