/**
 * CPU time of another process, all threads, in nanoseconds (Linux `/proc/<pid>/task/<tid>/schedstat`).
 * Wall-clock latency on a shared machine moves with whatever else runs; the server's own CPU time per
 * request hardly does, so it is the steadier measure of what a check adds.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Total on-CPU time of `pid` so far (threads that already exited are not counted), or `NaN` off Linux. */
export function processCpuNs(pid: number): number {
  try {
    let total = 0;
    // Every thread counts: WebCrypto and the libuv pool do part of a request's work off the main thread.
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const fields = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ');
      total += Number(fields[0]);
    }
    return total;
  } catch {
    return Number.NaN;
  }
}
