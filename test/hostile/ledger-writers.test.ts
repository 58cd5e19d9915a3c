/**
 * No client-reachable path writes the ledger. A static inventory (type-checked, so aliases count) of every
 * call that writes or removes session-MFA evidence in app/**, lib/** and the app's root modules, checked
 * against an allow-list with the reason each one is trusted; plus a taint check that app code (server actions,
 * route handlers, pages) hands those calls the *verified* session, never a form field, URL, header or body.
 */
import { describe, expect, it } from 'vitest';
import { findSinkCalls, handMadeLedgerKeys, sourceFiles, type SinkCall } from './support/ledger-writers';

const APP_FILES = sourceFiles([
  'app',
  'lib',
  'mfa.ts',
  'mfa.config.ts',
  'mfa-step-up.ts',
  'middleware.ts',
  'proxy.ts',
  'scripts',
]);
const calls = findSinkCalls(APP_FILES);
const fixture = findSinkCalls(sourceFiles(['test/hostile/fixtures/client-supplied-identity.ts']));

/** Every file allowed to call a ledger-changing API, with the API and why the call is trusted. */
const ALLOWED: Record<string, { sinks: string[]; why: string }> = {
  'lib/ledger/ledger.ts': {
    sinks: ['LedgerStore.delete', 'LedgerStore.set'],
    why: 'the ledger itself: validates the entry, builds the key from a safe sid, bounds the call in time',
  },
  'lib/session-mfa.ts': {
    sinks: ['SessionLedger.record', 'SessionLedger.remove'],
    why: 'the engine: recordVerification / removeVerification, audited',
  },
  'lib/step-up/totp.ts': {
    sinks: ['SessionMfa.recordVerification'],
    why: "only after WorkOS verified a code for one of the session user's own factors, unused before, within the rate limit; sid/userId from TotpAttempt.session (the verified session)",
  },
  'lib/webhooks/handler.ts': {
    sinks: ['SessionMfa.recordVerification', 'SessionMfa.removeVerification'],
    why: 'only after the WorkOS signature verified, once per event id, and (default) the session confirmed as the user’s through the WorkOS API',
  },
  'lib/webhooks/factor-removal.ts': {
    sinks: ['SessionMfa.removeVerification'],
    why: "removes evidence only for the signed-in user's own sessions, after WorkOS deleted that user's own factor",
  },
  'app/logout/route.ts': {
    sinks: ['SessionMfa.removeVerification'],
    why: 'sign-out of the current session: sid and userId from withAuth()',
  },
  'lib/step-up/route.ts': {
    sinks: ['TotpStepUp.verify'],
    why: 'the drop-in step-up route (page form and dialog): the session comes from currentStepUpSession(); the form only supplies factor id and code',
  },
  'app/api/mfa/factors/[factorId]/route.ts': {
    sinks: ['deleteFactorAndRevoke'],
    why: 'factor removal behind withSessionMfa(strict): userId and sid from withAuth(); the factor must be the user’s own',
  },
  'app/api/webhooks/workos/route.ts': {
    sinks: ['createWorkosWebhookHandler'],
    why: 'the WorkOS webhook endpoint: signed deliveries only',
  },
  'lib/ledger/enrollments.ts': {
    sinks: ['LedgerStore.delete', 'LedgerStore.set'],
    why: 'the enrollment records: keys from safe ids in the ledger’s scheme, validated records, bounded in time',
  },
  'lib/step-up/enrollment.ts': {
    sinks: [
      'FactorEnrollmentRecords.begin',
      'FactorEnrollmentRecords.remove',
      'FactorEnrollmentRecords.saveEmailProof',
      'FactorEnrollmentRecords.write',
    ],
    why: 'enrollment: records only what WorkOS created and verified for the verified session user, after fresh MFA or a WorkOS-checked email code',
  },
  'app/account/authenticator/actions.ts': {
    sinks: [
      'FactorEnrollment.cancel',
      'FactorEnrollment.confirm',
      'FactorEnrollment.start',
      'FactorEnrollment.verifyEmailCode',
    ],
    why: 'the enrollment page: the session comes from currentStepUpSession(); the browser supplies only codes and the factor id',
  },
  'scripts/load-test.ts': {
    sinks: ['SessionLedger.record'],
    why: 'the load run seeds evidence in its own throwaway Redis; a developer tool, never served by the app',
  },
};

/** Code the app serves or runs per request (the rest of the scan — lib, scripts — is library or tooling). */
const APP_REACHABLE = (file: string) =>
  file.startsWith('app/') || ['mfa.ts', 'mfa.config.ts', 'mfa-step-up.ts', 'middleware.ts', 'proxy.ts'].includes(file);
/** Request handlers: the app's, and the library's drop-in step-up route that apps mount as they are. */
const REQUEST_HANDLER = (file: string) => APP_REACHABLE(file) || file === 'lib/step-up/route.ts';

const short = (c: SinkCall) => c.sink.split('#')[1]!;
const byFile = (list: readonly SinkCall[]) => {
  const out: Record<string, string[]> = {};
  for (const c of list) {
    const sinks = (out[c.file] ??= []);
    if (!sinks.includes(short(c))) sinks.push(short(c));
  }
  for (const k of Object.keys(out)) out[k]!.sort();
  return out;
};

describe('who can change session-MFA evidence', () => {
  it('the scan sees the code it is meant to see', () => {
    expect(APP_FILES.length).toBeGreaterThan(40);
    expect(calls.length).toBeGreaterThanOrEqual(8);
  });

  it('every call site that writes or removes ledger evidence is on the allow-list, and the allow-list has no stale entry', () => {
    const allowed = Object.fromEntries(Object.entries(ALLOWED).map(([file, a]) => [file, [...a.sinks].sort()]));
    expect(byFile(calls)).toEqual(allowed);
  });

  it('app code never calls a ledger primitive directly (recordVerification, ledger.record, store.set)', () => {
    const direct = calls.filter((c) => APP_REACHABLE(c.file) && c.primitive && c.effect === 'write');
    expect(direct).toEqual([]);
  });

  it('request handlers (app code, the step-up route) pass only the verified session (withAuth / currentStepUpSession) as the identity of a ledger change', () => {
    const fromHandlers = calls.filter((c) => REQUEST_HANDLER(c.file));
    expect(fromHandlers.length).toBeGreaterThanOrEqual(4);
    expect(
      fromHandlers
        .filter((c) => c.untrusted.length > 0)
        .map((c) => `${c.file}:${c.line} ${short(c)} ← ${c.untrusted.join(', ')}`),
    ).toEqual([]);
  });

  it('nobody builds a ledger key by hand outside the ledger module', () => {
    // The ledger module builds keys; the load run reads its own throwaway Redis to check what the app wrote.
    const allowedKeys = ['lib/ledger/ledger.ts', 'scripts/load-test.ts', 'scripts/load-test/step-up-race.ts'];
    expect(handMadeLedgerKeys(APP_FILES).filter((at) => !allowedKeys.some((f) => at.startsWith(`${f}:`)))).toEqual([]);
  });

  it('the checks catch a server action that takes the identity from the form (deliberately wrong fixture)', () => {
    expect(fixture.map((c) => [short(c), c.untrusted])).toEqual([
      ['TotpStepUp.verify', ['session']],
      ['SessionMfa.removeVerification', ['sessionId', 'userId']],
    ]);
  });
});
