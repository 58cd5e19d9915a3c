import { WorkOS } from '@workos-inc/node';
import { describe, expect, it } from 'vitest';
import { signWebhook } from '../../emulators/workos/webhook-signature';
import type { AuditRecord } from '../../lib/audit/record';
import type { LedgerEntry } from '../../lib/core/ledger-entry';
import { createSessionLedger } from '../../lib/ledger/ledger';
import { memoryStore } from '../../lib/ledger/memory';
import type { LedgerStore } from '../../lib/ledger/types';
import { createSessionMfa } from '../../lib/session-mfa';
import { memoryWebhookDedupe, type WebhookDedupeStore } from '../../lib/webhooks/dedupe';
import { createWorkosWebhookHandler, type WorkosWebhookHandlerOptions } from '../../lib/webhooks/handler';
import type { WorkosSessionSummary } from '../../lib/webhooks/workos-client';
import { sessionIdAt } from '../helpers/session-id';

const SECRET = 'whsec_unit';
const sdk = new WorkOS('sk_test_unit');

function switchable(inner: LedgerStore): LedgerStore & { down: boolean } {
  const s = {
    name: 'switchable',
    down: false,
    get: (k: string) => (s.down ? Promise.reject(new Error('down')) : inner.get(k)),
    set: (k: string, v: string, t: number) => (s.down ? Promise.reject(new Error('down')) : inner.set(k, v, t)),
    delete: (k: string) => (s.down ? Promise.reject(new Error('down')) : inner.delete(k)),
  };
  return s;
}

const createdNow = () => new Date().toISOString();

function setup(
  overrides: Partial<WorkosWebhookHandlerOptions> = {},
  sessions: WorkosSessionSummary[] = [
    { id: 'session_1', userId: 'user_alice', organizationId: 'org_acme', status: 'active', createdAt: createdNow() },
  ],
  clockMs: () => number = Date.now,
) {
  const store = switchable(memoryStore());
  const ledger = createSessionLedger({ store });
  const records: AuditRecord[] = [];
  const tasks: Promise<void>[] = [];
  const sessionMfa = createSessionMfa({
    ledger,
    audit: [{ name: 'collect', write: async (r) => void records.push(r) }],
    defer: (t) => void tasks.push(t),
    now: () => Math.floor(clockMs() / 1000),
  });
  const lists: string[] = [];
  let listFails = false;
  const workos = {
    webhooks: sdk.webhooks,
    userManagement: {
      async listSessions(userId: string) {
        lists.push(userId);
        if (listFails) throw new Error('WorkOS unavailable');
        return { autoPagination: async () => sessions.filter((s) => s.userId === userId) };
      },
    },
  };
  const dedupe = overrides.dedupe ?? memoryWebhookDedupe();
  const handler = createWorkosWebhookHandler({ workos, secret: SECRET, sessionMfa, dedupe, ...overrides });
  return {
    handler,
    ledger,
    store,
    records,
    lists,
    dedupe,
    failListing: () => void (listFails = true),
    settle: () => Promise.all(tasks),
  };
}

let seq = 0;
function delivery(
  event: string,
  data: Record<string, unknown>,
  options: { t?: number; secret?: string; id?: string; body?: string; createdAt?: string } = {},
): Request {
  const body =
    options.body ??
    JSON.stringify({
      id: options.id ?? `event_unit_${++seq}`,
      event,
      data,
      created_at: options.createdAt ?? new Date().toISOString(),
      object: 'event',
    });
  return new Request('http://app.test/api/webhooks/workos', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'workos-signature': signWebhook(body, options.secret ?? SECRET, options.t ?? Date.now()),
    },
    body,
  });
}

const mfa = (extra: Record<string, unknown> = {}) => ({
  type: 'mfa',
  status: 'succeeded',
  user_id: 'user_alice',
  email: 'alice@acme.test',
  ip_address: null,
  user_agent: null,
  session_id: 'session_1',
  ...extra,
});
const statusOf = async (response: Response) => ({
  code: response.status,
  body: (await response.json()) as Record<string, unknown>,
});

describe('createWorkosWebhookHandler — refusals change nothing', () => {
  it('answers 405 to anything but POST', async () => {
    const { handler } = setup();
    expect((await handler(new Request('http://app.test/x'))).status).toBe(405);
  });

  it('401 without a signature, with a wrong secret, with a seconds timestamp, or one from the future', async () => {
    const { handler, ledger } = setup();
    const body = JSON.stringify({
      id: 'event_u',
      event: 'authentication.mfa_succeeded',
      data: mfa(),
      created_at: new Date().toISOString(),
    });
    const unsigned = new Request('http://app.test/x', { method: 'POST', body });
    expect(await statusOf(await handler(unsigned))).toEqual({ code: 401, body: { error: 'missing_signature' } });
    expect((await handler(delivery('authentication.mfa_succeeded', mfa(), { secret: 'whsec_other' }))).status).toBe(
      401,
    );
    expect(
      (await handler(delivery('authentication.mfa_succeeded', mfa(), { t: Math.floor(Date.now() / 1000) }))).status,
    ).toBe(401);
    // The SDK only refuses old timestamps; a far-future one would let a captured delivery be replayed for long.
    expect(
      (await handler(delivery('authentication.mfa_succeeded', mfa(), { t: Date.now() + 10 * 60_000 }))).status,
    ).toBe(401);
    expect((await ledger.lookup('session_1')).status).toBe('missing');
  });

  it('413 for a body over the cap, declared or streamed', async () => {
    const { handler } = setup({ maxBodyBytes: 512 });
    expect((await handler(delivery('authentication.mfa_succeeded', mfa({ pad: 'x'.repeat(600) })))).status).toBe(413);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array(400));
        c.enqueue(new Uint8Array(400));
        c.close();
      },
    });
    const request = new Request('http://app.test/x', {
      method: 'POST',
      headers: { 'workos-signature': 't=1, v1=00' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect((await handler(request)).status).toBe(413);
  });

  it('400 for a correctly signed body that is not an event', async () => {
    const { handler } = setup();
    expect((await handler(delivery('x', {}, { body: 'not json' }))).status).toBe(400);
    expect(
      (
        await handler(
          delivery('x', {}, { body: JSON.stringify({ id: 'bad id with spaces', event: 'session.revoked', data: {} }) }),
        )
      ).status,
    ).toBe(400);
  });

  it('refuses out-of-range options', () => {
    expect(() => setup({ secret: '' })).toThrow(/secret/);
    expect(() => setup({ toleranceMs: 3_600_000 })).toThrow(/toleranceMs/);
    const noLedger = createSessionMfa({ ledger: null });
    expect(() =>
      createWorkosWebhookHandler({
        workos: {
          webhooks: sdk.webhooks,
          userManagement: { listSessions: async () => ({ autoPagination: async () => [] }) },
        },
        secret: SECRET,
        sessionMfa: noLedger,
        dedupe: memoryWebhookDedupe(),
      }),
    ).toThrow(/ledger/);
  });
});

describe('createWorkosWebhookHandler — events', () => {
  it('records a session-bound MFA success as webhook evidence once the session is confirmed for the user', async () => {
    const { handler, ledger, records, lists, settle } = setup();
    expect(await statusOf(await handler(delivery('authentication.mfa_succeeded', mfa())))).toEqual({
      code: 200,
      body: { received: true, status: 'recorded' },
    });
    const found = await ledger.lookup('session_1');
    expect(found).toMatchObject({
      status: 'found',
      entry: {
        sessionId: 'session_1',
        userId: 'user_alice',
        organizationId: 'org_acme',
        methods: ['otp'],
        source: 'webhook',
      },
    });
    expect(lists).toEqual(['user_alice']);
    await settle();
    expect(records).toMatchObject([
      {
        type: 'ledger.recorded',
        reason: 'webhook_mfa_succeeded',
        sessionId: 'session_1',
        userId: 'user_alice',
        evidence: { source: 'ledger:webhook' },
        detail: { eventAt: expect.any(String), sessionCreatedAt: expect.any(String) },
      },
    ]);
  });

  it('never grants without session_id: one webhook.uncorrelated record', async () => {
    const { handler, ledger, records, lists, settle } = setup();
    const { session_id: _omit, ...data } = mfa();
    expect((await statusOf(await handler(delivery('authentication.mfa_succeeded', data)))).body.status).toBe(
      'uncorrelated',
    );
    expect((await handler(delivery('authentication.mfa_succeeded', mfa({ session_id: null })))).status).toBe(200);
    expect((await ledger.lookup('session_1')).status).toBe('missing');
    expect(lists).toEqual([]);
    await settle();
    expect(records.map((r) => [r.type, r.reason, r.userId])).toEqual([
      ['webhook.uncorrelated', 'no_session_id', 'user_alice'],
      ['webhook.uncorrelated', 'no_session_id', 'user_alice'],
    ]);
  });

  it.each([
    ['a session of another user', mfa({ user_id: 'user_bob' }), 'session_not_found_for_user'],
    ['an unknown session', mfa({ session_id: 'session_404' }), 'session_not_found_for_user'],
    ['a malformed session id', mfa({ session_id: 'x y' }), 'malformed_session_id'],
  ])('refuses %s: no entry, a webhook.rejected record', async (_name, data, reason) => {
    const { handler, ledger, records, settle } = setup({}, [
      { id: 'session_1', userId: 'user_alice', status: 'active', createdAt: createdNow() },
      { id: 'session_b', userId: 'user_bob', status: 'active', createdAt: createdNow() },
    ]);
    expect((await statusOf(await handler(delivery('authentication.mfa_succeeded', data)))).body.status).toBe(
      'rejected',
    );
    expect((await ledger.lookup('session_1')).status).toBe('missing');
    await settle();
    expect(records.map((r) => [r.type, r.reason])).toEqual([['webhook.rejected', reason]]);
  });

  it('refuses a revoked session', async () => {
    const { handler, ledger } = setup({}, [
      { id: 'session_1', userId: 'user_alice', status: 'revoked', createdAt: createdNow() },
    ]);
    expect((await statusOf(await handler(delivery('authentication.mfa_succeeded', mfa())))).body.status).toBe(
      'rejected',
    );
    expect((await ledger.lookup('session_1')).status).toBe('missing');
  });

  it("with sessionCheck 'signature', trusts the signed pair without calling WorkOS, timed by the session id", async () => {
    const { handler, ledger, lists } = setup({ sessionCheck: 'signature' });
    const sid = sessionIdAt(Date.now());
    expect(
      (await statusOf(await handler(delivery('authentication.mfa_succeeded', mfa({ session_id: sid }))))).body.status,
    ).toBe('recorded');
    expect(lists).toEqual([]);
    expect((await ledger.lookup(sid)).status).toBe('found');
  });

  it('keeps fresher evidence (and its factorId) when a late event arrives', async () => {
    const { handler, ledger } = setup();
    const fresh: LedgerEntry = {
      sessionId: 'session_1',
      userId: 'user_alice',
      verifiedAt: Math.floor(Date.now() / 1000) + 1,
      methods: ['otp'],
      factorId: 'auth_factor_1',
      source: 'step_up',
    };
    await ledger.record(fresh);
    expect((await statusOf(await handler(delivery('authentication.mfa_succeeded', mfa())))).body.status).toBe(
      'current',
    );
    expect(await ledger.lookup('session_1')).toEqual({ status: 'found', entry: fresh });
  });

  it('session.revoked deletes the entry at once and audits it', async () => {
    const { handler, ledger, records, settle } = setup();
    await ledger.record({
      sessionId: 'session_1',
      userId: 'user_alice',
      verifiedAt: 1_800_000_000,
      methods: ['otp'],
      source: 'step_up',
    });
    const response = await handler(
      delivery(
        'session.revoked',
        { object: 'session', id: 'session_1', user_id: 'user_alice', status: 'revoked' },
        { id: 'event_revoked_1' },
      ),
    );
    expect((await statusOf(response)).body.status).toBe('removed');
    expect((await ledger.lookup('session_1')).status).toBe('missing');
    await settle();
    expect(records).toMatchObject([
      {
        type: 'ledger.removed',
        reason: 'session_revoked',
        sessionId: 'session_1',
        requestId: 'event_revoked_1',
        detail: { eventId: 'event_revoked_1' },
      },
    ]);
  });

  it('ignores other events without touching the dedupe store', async () => {
    let claims = 0;
    const dedupe: WebhookDedupeStore = {
      name: 'count',
      claim: async () => (++claims, true),
      release: async () => undefined,
    };
    const { handler } = setup({ dedupe });
    expect((await statusOf(await handler(delivery('user.created', { id: 'user_x' })))).body.status).toBe('ignored');
    expect(claims).toBe(0);
  });
});

describe('createWorkosWebhookHandler — an event grants only the session its MFA established', () => {
  const SEC = 1000;
  const at = (ms: number) => new Date(ms).toISOString();
  const session = (id: string, createdMs: number): WorkosSessionSummary => ({
    id,
    userId: 'user_alice',
    organizationId: 'org_acme',
    status: 'active',
    createdAt: at(createdMs),
  });
  const uncorrelatedOf = (records: AuditRecord[]) =>
    records.filter((r) => r.type === 'webhook.uncorrelated').map((r) => [r.reason, r.sessionId]);

  it('the attack: MFA in session A, the event names the newer session B (password only) → no grant, audited', async () => {
    const t0 = Date.now();
    // A signed in 5 min ago, B (the attacker, password only) a minute ago; alice steps up in A now.
    const { handler, ledger, records, settle } = setup({}, [
      session('session_a', t0 - 300 * SEC),
      session('session_b', t0 - 60 * SEC),
    ]);
    const response = await handler(
      delivery('authentication.mfa_succeeded', mfa({ session_id: 'session_b' }), { createdAt: at(t0) }),
    );
    expect(await statusOf(response)).toEqual({ code: 200, body: { received: true, status: 'uncorrelated' } });
    expect((await ledger.lookup('session_b')).status).toBe('missing');
    expect((await ledger.lookup('session_a')).status).toBe('missing');
    await settle();
    expect(records).toMatchObject([
      {
        type: 'webhook.uncorrelated',
        reason: 'mfa_after_session_start',
        sessionId: 'session_b',
        userId: 'user_alice',
        target: 'webhook authentication.mfa_succeeded',
        detail: { eventAt: at(t0), sessionCreatedAt: at(t0 - 60 * SEC) },
      },
    ]);
  });

  // Each row: when the named session was created and when its event says the MFA happened, relative to now.
  it.each([
    [
      'B was created only 3 s before the MFA (just outside the 2 s the window allows)',
      -3,
      0,
      'mfa_after_session_start',
    ],
    ['an event for an older session (its sign-in was hours before this MFA)', -5 * 3600, 0, 'mfa_after_session_start'],
    ['an MFA from before the session existed (an earlier authentication)', 0, -45, 'mfa_before_session'],
    ['a late delivery (right time, but 10 min after the session began)', -600, -600, 'delivered_late'],
  ] as const)('%s → no grant, audited', async (_case, createdS, eventS, reason) => {
    const t0 = Date.now();
    const { handler, ledger, records, settle } = setup({}, [session('session_x', t0 + createdS * SEC)]);
    const event = delivery('authentication.mfa_succeeded', mfa({ session_id: 'session_x' }), {
      createdAt: at(t0 + eventS * SEC),
    });
    expect((await statusOf(await handler(event))).body.status).toBe('uncorrelated');
    expect((await ledger.lookup('session_x')).status).toBe('missing');
    await settle();
    expect(uncorrelatedOf(records)).toEqual([[reason, 'session_x']]);
  });

  it('the legitimate case: an event whose time matches the session’s creation grants it, with verifiedAt = the event time', async () => {
    const created = Date.now() - 2 * SEC;
    const { handler, ledger } = setup({}, [session('session_b', created)]);
    expect(
      (
        await statusOf(
          await handler(
            delivery('authentication.mfa_succeeded', mfa({ session_id: 'session_b' }), {
              createdAt: at(created - 1500),
            }),
          ),
        )
      ).body.status,
    ).toBe('recorded');
    expect(await ledger.lookup('session_b')).toMatchObject({
      status: 'found',
      entry: { sessionId: 'session_b', source: 'webhook', verifiedAt: Math.floor((created - 1500) / 1000) },
    });
  });

  it('a second event (another id) for a session already granted → no grant, even after its entry was removed', async () => {
    const created = Date.now();
    const { handler, ledger, records, settle } = setup({}, [session('session_1', created)]);
    expect(
      (await statusOf(await handler(delivery('authentication.mfa_succeeded', mfa(), { createdAt: at(created) })))).body
        .status,
    ).toBe('recorded');
    await ledger.remove('session_1'); // e.g. the factor that proved it was deleted
    const second = await handler(delivery('authentication.mfa_succeeded', mfa(), { createdAt: at(created + 1000) }));
    expect((await statusOf(second)).body.status).toBe('uncorrelated');
    expect((await ledger.lookup('session_1')).status).toBe('missing');
    await settle();
    expect(uncorrelatedOf(records)).toEqual([['session_already_granted', 'session_1']]);
  });

  it('the same delivery replayed after the window: duplicate while remembered, late once the session is past its window', async () => {
    let clock = Date.now();
    const created = clock;
    const dedupe = memoryWebhookDedupe({ now: () => clock });
    const { handler, ledger, records, settle } = setup(
      { dedupe, dedupeTtlSeconds: 60 },
      [session('session_1', created)],
      () => clock,
    );
    const body = JSON.stringify({
      id: 'event_replayed',
      event: 'authentication.mfa_succeeded',
      data: mfa(),
      created_at: at(created),
      object: 'event',
    });
    expect((await statusOf(await handler(delivery('', {}, { body })))).body.status).toBe('recorded');
    await ledger.remove('session_1');
    expect((await statusOf(await handler(delivery('', {}, { body })))).body.status).toBe('duplicate');
    // The event and grant markers expire (TTL 60 s here); the same event, re-signed, arrives 10 minutes on.
    clock += 600 * SEC;
    const replay = await handler(delivery('', {}, { body, t: Date.now() }));
    expect((await statusOf(replay)).body.status).toBe('uncorrelated');
    expect((await ledger.lookup('session_1')).status).toBe('missing');
    await settle();
    expect(uncorrelatedOf(records)).toEqual([['delivered_late', 'session_1']]);
  });

  it.each([
    ['no createdAt', undefined],
    ['an unreadable createdAt', 'yesterday'],
  ])(
    'a session whose creation time WorkOS did not give (%s) → no grant (session_start_unknown)',
    async (_name, createdAt) => {
      const { handler, ledger, records, settle } = setup({}, [
        { id: 'session_1', userId: 'user_alice', status: 'active', createdAt: createdAt as string },
      ]);
      expect((await statusOf(await handler(delivery('authentication.mfa_succeeded', mfa())))).body.status).toBe(
        'uncorrelated',
      );
      expect((await ledger.lookup('session_1')).status).toBe('missing');
      await settle();
      expect(uncorrelatedOf(records)).toEqual([['session_start_unknown', 'session_1']]);
    },
  );

  it("sessionCheck 'signature': the session id's ULID time must match; a session id that is not a ULID grants nothing", async () => {
    const t0 = Date.now();
    const { handler, ledger, records, settle } = setup({ sessionCheck: 'signature' });
    const older = sessionIdAt(t0 - 60 * SEC);
    expect(
      (
        await statusOf(
          await handler(delivery('authentication.mfa_succeeded', mfa({ session_id: older }), { createdAt: at(t0) })),
        )
      ).body.status,
    ).toBe('uncorrelated');
    expect(
      (
        await statusOf(
          await handler(
            delivery('authentication.mfa_succeeded', mfa({ session_id: 'session_1' }), { createdAt: at(t0) }),
          ),
        )
      ).body.status,
    ).toBe('uncorrelated');
    expect((await ledger.lookup(older)).status).toBe('missing');
    expect((await ledger.lookup('session_1')).status).toBe('missing');
    await settle();
    expect(uncorrelatedOf(records)).toEqual([
      ['mfa_after_session_start', older],
      ['session_start_unknown', 'session_1'],
    ]);
  });

  it('a wider window, when configured, is used', async () => {
    const t0 = Date.now();
    const { handler, ledger } = setup({ establishingWindow: { afterMs: 10_000 } }, [
      session('session_1', t0 - 5 * SEC),
    ]);
    expect(
      (await statusOf(await handler(delivery('authentication.mfa_succeeded', mfa(), { createdAt: at(t0) })))).body
        .status,
    ).toBe('recorded');
    expect((await ledger.lookup('session_1')).status).toBe('found');
  });

  it.each([
    [{ beforeMs: -1 }, 'establishingWindow.beforeMs'],
    [{ beforeMs: 600_001 }, 'establishingWindow.beforeMs'],
    [{ afterMs: 60_001 }, 'establishingWindow.afterMs'],
    [{ afterMs: 1.5 }, 'establishingWindow.afterMs'],
    [{ arrivalMs: 3_600_001 }, 'establishingWindow.arrivalMs'],
    [{ arrivalMs: Number.NaN }, 'establishingWindow.arrivalMs'],
  ])('refuses the window %j', (establishingWindow, field) => {
    expect(() => setup({ establishingWindow })).toThrow(field);
  });
});

describe('createWorkosWebhookHandler — failures', () => {
  const down: WebhookDedupeStore = {
    name: 'down',
    claim: () => Promise.reject(new Error('ECONNREFUSED')),
    release: () => Promise.reject(new Error('ECONNREFUSED')),
  };

  it('a grant waits for the dedupe store (503, no entry); a revocation does not', async () => {
    const { handler, ledger } = setup({ dedupe: down, onError: () => undefined });
    expect(await statusOf(await handler(delivery('authentication.mfa_succeeded', mfa())))).toEqual({
      code: 503,
      body: { error: 'dedupe_unavailable' },
    });
    expect((await ledger.lookup('session_1')).status).toBe('missing');
    await ledger.record({
      sessionId: 'session_1',
      userId: 'user_alice',
      verifiedAt: 1_800_000_000,
      methods: ['otp'],
      source: 'step_up',
    });
    expect((await handler(delivery('session.revoked', { id: 'session_1', user_id: 'user_alice' }))).status).toBe(200);
    expect((await ledger.lookup('session_1')).status).toBe('missing');
  });

  it('ledger down: 503 and the event id is released, so the redelivery is processed', async () => {
    const { handler, ledger, store } = setup({ onError: () => undefined });
    const request = () => delivery('authentication.mfa_succeeded', mfa(), { id: 'event_retry_1' });
    store.down = true;
    expect(await statusOf(await handler(request()))).toEqual({ code: 503, body: { error: 'ledger_unavailable' } });
    store.down = false;
    expect((await statusOf(await handler(request()))).body.status).toBe('recorded');
    expect((await statusOf(await handler(request()))).body.status).toBe('duplicate');
    expect((await ledger.lookup('session_1')).status).toBe('found');
  });

  it('ledger down: the session’s grant marker is released too, so a redelivery under a new event id still grants', async () => {
    const { handler, ledger, store } = setup({ onError: () => undefined });
    store.down = true;
    expect((await handler(delivery('authentication.mfa_succeeded', mfa(), { id: 'event_first_try' }))).status).toBe(
      503,
    );
    store.down = false;
    expect(
      (await statusOf(await handler(delivery('authentication.mfa_succeeded', mfa(), { id: 'event_second_try' })))).body
        .status,
    ).toBe('recorded');
    expect((await ledger.lookup('session_1')).status).toBe('found');
  });

  it('WorkOS API down: 503 and released', async () => {
    const { handler, ledger, failListing } = setup({ onError: () => undefined });
    failListing();
    expect(
      await statusOf(await handler(delivery('authentication.mfa_succeeded', mfa(), { id: 'event_api_1' }))),
    ).toEqual({ code: 503, body: { error: 'workos_unavailable' } });
    expect((await ledger.lookup('session_1')).status).toBe('missing');
  });
});
