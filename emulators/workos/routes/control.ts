import { codedError, invalidField } from '../api-error';
import type { EmulatorControl } from '../control';
import { jsonReply } from '../http';
import { EmulatorOptionError, type EmulatorConfig } from '../options';
import type { Route } from '../router';

function configure(control: EmulatorControl, patch: unknown): EmulatorConfig {
  try {
    return control.configure(patch as Partial<EmulatorConfig>);
  } catch (error) {
    if (error instanceof EmulatorOptionError) throw codedError(400, 'invalid_config', error.message);
    throw error;
  }
}

/** `/__emulator/*`: loopback-only controls for tests and the demo. */
export function controlRoutes(control: EmulatorControl): Route[] {
  return [
    {
      method: 'GET',
      path: '/__emulator/health',
      access: 'control',
      handle: (req) =>
        jsonReply(200, {
          status: 'ok',
          url: req.emu.baseUrl,
          clientId: req.emu.clientId,
          issuer: req.emu.issuer,
          now: control.now(),
          clockOffsetSeconds: req.emu.clock.offsetSeconds(),
          requestsServed: req.emu.requestsServed,
          config: control.config(),
        }),
    },
    {
      method: 'POST',
      path: '/__emulator/reset',
      access: 'control',
      handle() {
        control.reset();
        return jsonReply(200, { status: 'reset', config: control.config() });
      },
    },
    {
      method: 'GET',
      path: '/__emulator/config',
      access: 'control',
      handle: () => jsonReply(200, control.config()),
    },
    {
      method: 'POST',
      path: '/__emulator/config',
      access: 'control',
      handle: (req) => jsonReply(200, configure(control, req.json())),
    },
    {
      method: 'POST',
      path: '/__emulator/clock',
      access: 'control',
      handle(req) {
        const seconds = req.json().advanceSeconds;
        if (typeof seconds !== 'number' || !Number.isFinite(seconds))
          throw invalidField('advanceSeconds', 'advanceSeconds_invalid', 'advanceSeconds must be a number.');
        const now = control.advanceClock(seconds);
        return jsonReply(200, { now, iso: new Date(now).toISOString(), offsetSeconds: req.emu.clock.offsetSeconds() });
      },
    },
    {
      method: 'POST',
      path: '/__emulator/throttle',
      access: 'control',
      handle(req) {
        const seconds = req.json().seconds;
        if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0)
          throw invalidField('seconds', 'seconds_invalid', 'seconds must be a number ≥ 0.');
        const until = control.throttle(seconds);
        return jsonReply(200, { throttledUntil: until === null ? null : new Date(until).toISOString() });
      },
    },
    {
      method: 'GET',
      path: '/__emulator/sessions',
      access: 'control',
      handle: () => jsonReply(200, { data: control.sessions() }),
    },
    {
      method: 'GET',
      path: '/__emulator/users',
      access: 'control',
      handle: () => jsonReply(200, { data: control.users() }),
    },
    {
      method: 'GET',
      path: '/__emulator/deliveries',
      access: 'control',
      async handle(req) {
        // `?settled=1` waits for pending deliveries, so callers need not poll.
        if (req.url.searchParams.get('settled') === '1') await control.webhooksSettled();
        return jsonReply(200, { data: control.deliveries() });
      },
    },
    {
      method: 'GET',
      path: '/__emulator/emails',
      access: 'control',
      // `?to=<address>`: only that mailbox. The codes are what the user would read in the email.
      handle: (req) => jsonReply(200, { data: control.emails(req.url.searchParams.get('to') ?? undefined) }),
    },
    {
      method: 'GET',
      path: '/__emulator/audit-events',
      access: 'control',
      handle: () => jsonReply(200, { data: control.auditEvents() }),
    },
    {
      method: 'POST',
      path: '/__emulator/webhooks/send',
      access: 'control',
      handle(req) {
        const body = req.json();
        const { event, data } = body;
        if (typeof event !== 'string' || event === '')
          throw invalidField('event', 'event_required', 'event is required.');
        if (typeof data !== 'object' || data === null || Array.isArray(data))
          throw invalidField('data', 'data_invalid', 'data must be an object.');
        const delivery = control.sendWebhook(event, data as Record<string, unknown>);
        if (delivery === null)
          throw codedError(
            409,
            'webhook_not_configured',
            'No webhook endpoint is configured; set one with POST /__emulator/config.',
          );
        return jsonReply(202, delivery);
      },
    },
  ];
}
