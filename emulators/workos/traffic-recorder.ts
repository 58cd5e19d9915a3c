import type { EmulatorObserver } from './options';

/** A reply to a WorkOS route as the emulator wrote it (what {@link EmulatorObserver.response} sees). */
export type RecordedResponse = Parameters<NonNullable<EmulatorObserver['response']>>[0];

/** What the emulator sent since the last take: its WorkOS replies and the events it emitted. */
export interface RecordedTraffic {
  responses: RecordedResponse[];
  events: Array<Record<string, unknown>>;
  /** Entries dropped because more than the limit piled up between takes (the oldest go first). */
  dropped: number;
}

/** Records what an emulator sends, so a test outside its process can check it (`POST /__emulator/traffic/take`). */
export interface TrafficRecorder {
  readonly observer: EmulatorObserver;
  /** Returns everything recorded since the previous take and forgets it. */
  take(): RecordedTraffic;
}

/** Entries kept between takes (per kind): a bound on memory when nobody takes them. */
export const TRAFFIC_LIMIT = 2_000;

/** A recorder keeping at most `limit` responses and `limit` events between takes. */
export function createTrafficRecorder(limit = TRAFFIC_LIMIT): TrafficRecorder {
  let traffic: RecordedTraffic = { responses: [], events: [], dropped: 0 };
  function keep<T>(list: T[], item: T): void {
    list.push(item);
    if (list.length > limit) {
      list.shift();
      traffic.dropped += 1;
    }
  }
  return {
    observer: {
      response: (response) => keep(traffic.responses, response),
      event: (payload) => keep(traffic.events, payload),
    },
    take() {
      const taken = traffic;
      traffic = { responses: [], events: [], dropped: 0 };
      return taken;
    },
  };
}

/** One observer calling each given one in turn (undefined when none is given). */
export function combineObservers(...observers: Array<EmulatorObserver | undefined>): EmulatorObserver | undefined {
  const present = observers.filter((o): o is EmulatorObserver => o !== undefined);
  if (present.length === 0) return undefined;
  return {
    response: (response) => present.forEach((o) => o.response?.(response)),
    event: (payload) => present.forEach((o) => o.event?.(payload)),
  };
}
