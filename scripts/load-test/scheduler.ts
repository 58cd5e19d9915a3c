/**
 * Runs a list of requests with N workers, one request at a time per session (a browser tab: it keeps the
 * cookie authkit refreshed on the previous answer), while events take sessions aside (`lock`) and an outage is
 * switched on and off between requests (`pause` waits until none is in flight), so every answer is judged
 * against one well-defined state.
 */

/** Anything the scheduler runs requests for. */
export interface Schedulable {
  /** A request of this session is in flight. */
  busy: boolean;
  /** An event holds the session: no request is started for it. */
  locked: boolean;
}

export class Scheduler<S extends Schedulable, I extends { readonly session: S }> {
  private readonly queue: I[];
  private waiters: Array<() => void> = [];
  private inFlight = 0;
  private paused = false;
  private finished = false;
  /** Requests completed so far. */
  completed = 0;

  constructor(items: readonly I[]) {
    this.queue = [...items];
  }

  /** Requests not started (left over when the deadline passed). */
  get remaining(): number {
    return this.queue.length;
  }

  private signal(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Runs every item through `perform` with `concurrency` workers; stops starting new ones after `deadline` (epoch ms). */
  async run(concurrency: number, deadline: number, perform: (item: I) => Promise<void>): Promise<void> {
    const worker = async () => {
      for (;;) {
        if (this.queue.length === 0 || Date.now() > deadline) return;
        const at = this.paused ? -1 : this.queue.findIndex((item) => !item.session.busy && !item.session.locked);
        if (at === -1) {
          await this.changed();
          continue;
        }
        const [item] = this.queue.splice(at, 1) as [I];
        item.session.busy = true;
        this.inFlight++;
        try {
          await perform(item);
        } finally {
          item.session.busy = false;
          this.inFlight--;
          this.completed++;
          this.signal();
        }
      }
    };
    // Workers waiting for a free session must still notice the deadline.
    const timer = setTimeout(() => this.signal(), Math.max(0, deadline - Date.now()));
    await Promise.all(Array.from({ length: concurrency }, worker));
    clearTimeout(timer);
    this.finished = true;
    this.signal();
  }

  /** Resolves `true` once `count` requests have completed, `false` if the run ends first. */
  async reached(count: number): Promise<boolean> {
    while (this.completed < count) {
      if (this.finished) return false;
      await this.changed();
    }
    return true;
  }

  /** Takes `sessions` aside: no new request starts for them, and this resolves when theirs in flight have ended. */
  async lock(sessions: readonly S[]): Promise<void> {
    for (const s of sessions) s.locked = true;
    while (sessions.some((s) => s.busy)) await this.changed();
  }

  unlock(sessions: readonly S[]): void {
    for (const s of sessions) s.locked = false;
    this.signal();
  }

  /** Stops starting requests and resolves when none is in flight. */
  async pause(): Promise<void> {
    this.paused = true;
    while (this.inFlight > 0) await this.changed();
  }

  resume(): void {
    this.paused = false;
    this.signal();
  }
}
