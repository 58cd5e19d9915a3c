import { codedError } from '../api-error';
import { jsonReply } from '../http';
import type { Route } from '../router';
import type { TrafficRecorder } from '../traffic-recorder';

/**
 * `POST /__emulator/traffic/take`: what the emulator sent since the last take (its WorkOS replies and emitted
 * events), for a test in another process to check, e.g. against WorkOS's OpenAPI spec. Only when started with
 * `recordTraffic` (`--record-traffic`); otherwise 409.
 */
export function trafficRoutes(recorder: TrafficRecorder | null): Route[] {
  return [
    {
      method: 'POST',
      path: '/__emulator/traffic/take',
      access: 'control',
      handle() {
        if (recorder === null)
          throw codedError(
            409,
            'traffic_not_recorded',
            'Traffic is not recorded: start the emulator with --record-traffic (recordTraffic: true).',
          );
        return jsonReply(200, recorder.take());
      },
    },
  ];
}
