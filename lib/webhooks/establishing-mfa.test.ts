import { describe, expect, it } from 'vitest';
import { sessionIdAt } from '../../test/helpers/session-id';
import { DEFAULT_ESTABLISHING_WINDOW, notEstablishingReason, sessionIdTimeMs } from './establishing-mfa';

const created = Date.parse('2026-11-28T10:00:00.000Z');
const window = DEFAULT_ESTABLISHING_WINDOW;
const check = (eventMs: number, receivedMs = created + 1_000, sessionCreatedMs: number | null = created) =>
  notEstablishingReason({ eventMs, sessionCreatedMs, receivedMs, window });

describe('notEstablishingReason', () => {
  it('the default window is 30 s before, 2 s after, delivered within 5 min', () => {
    expect(DEFAULT_ESTABLISHING_WINDOW).toEqual({ beforeMs: 30_000, afterMs: 2_000, arrivalMs: 300_000 });
  });

  it.each([
    ['at the creation', 0],
    ['the MFA step 30 s before the session (the redirect back took that long)', -30_000],
    ['stamped 2 s after the creation', 2_000],
  ])('establishes: %s', (_name, offset) => {
    expect(check(created + offset)).toBeNull();
  });

  it.each([
    ['an MFA 1 ms past the 30 s before the session (an earlier authentication)', -30_001, 'mfa_before_session'],
    ['an MFA an hour before the session (an older sign-in or step-up)', -3_600_000, 'mfa_before_session'],
    ['an MFA 1 ms past 2 s after the session began (another session’s step-up)', 2_001, 'mfa_after_session_start'],
    ['an MFA a minute after the session began', 60_000, 'mfa_after_session_start'],
  ])('refuses %s', (_name, offset, reason) => {
    expect(check(created + offset)).toBe(reason);
  });

  it('refuses a delivery that arrives more than 5 min after the session began, even with the right time', () => {
    expect(check(created, created + 300_000)).toBeNull();
    expect(check(created, created + 300_001)).toBe('delivered_late');
    expect(check(created, created + 7 * 86_400_000)).toBe('delivered_late');
  });

  it.each([
    ['an unknown creation time', created, null],
    ['a NaN creation time', created, Number.NaN],
    ['a NaN event time', Number.NaN, created],
    ['an infinite event time', Number.POSITIVE_INFINITY, created],
  ])('fails closed on %s', (_name, eventMs, sessionCreatedMs) => {
    expect(check(eventMs, created, sessionCreatedMs)).toBe('session_start_unknown');
  });

  it('fails closed on a NaN arrival time', () => {
    expect(check(created, Number.NaN)).toBe('session_start_unknown');
  });

  it('uses the window it is given', () => {
    const narrow = { beforeMs: 0, afterMs: 0, arrivalMs: 0 };
    expect(
      notEstablishingReason({ eventMs: created, sessionCreatedMs: created, receivedMs: created, window: narrow }),
    ).toBeNull();
    expect(
      notEstablishingReason({ eventMs: created - 1, sessionCreatedMs: created, receivedMs: created, window: narrow }),
    ).toBe('mfa_before_session');
    expect(
      notEstablishingReason({ eventMs: created + 1, sessionCreatedMs: created, receivedMs: created, window: narrow }),
    ).toBe('mfa_after_session_start');
    expect(
      notEstablishingReason({ eventMs: created, sessionCreatedMs: created, receivedMs: created + 1, window: narrow }),
    ).toBe('delivered_late');
  });
});

describe('sessionIdTimeMs', () => {
  it.each([0, 1, created, Date.now(), 2 ** 48 - 1])('reads the time of a session ULID minted at %d', (ms) => {
    expect(sessionIdTimeMs(sessionIdAt(ms))).toBe(ms);
  });

  it('reads the ULID specification’s example time', () => {
    // ulid/spec: 01ARZ3NDEK is 1469922850259 ms.
    expect(sessionIdTimeMs('session_01ARZ3NDEKTSV4RRFFQ69G5FAV')).toBe(1_469_922_850_259);
  });

  it.each([
    ['no prefix', '01ARZ3NDEKTSV4RRFFQ69G5FAV'],
    ['another prefix', 'user_01ARZ3NDEKTSV4RRFFQ69G5FAV'],
    ['a session id inside another id', 'user_session_01ARZ3NDEKTSV4RRFFQ69G5FAV'],
    ['a short id', 'session_1'],
    ['25 characters', 'session_01ARZ3NDEKTSV4RRFFQ69G5FA'],
    ['27 characters', 'session_01ARZ3NDEKTSV4RRFFQ69G5FAVX'],
    ['lower case', 'session_01arz3ndektsv4rrffq69g5fav'],
    ['a letter Crockford leaves out (U)', 'session_01ARZ3NDEKTSV4RRFFQ69G5FAU'],
    ['a time beyond 48 bits', 'session_81ARZ3NDEKTSV4RRFFQ69G5FAV'],
    ['a trailing newline', 'session_01ARZ3NDEKTSV4RRFFQ69G5FAV\n'],
  ])('is null for %s', (_name, sid) => {
    expect(sessionIdTimeMs(sid)).toBeNull();
  });
});
