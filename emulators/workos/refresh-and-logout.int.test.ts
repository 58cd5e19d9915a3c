import { OauthException, NotFoundException, type WorkOS } from '@workos-inc/node';
import { describe, expect, it } from 'vitest';
import {
  ALICE,
  BOB,
  rejectionOf,
  sdkFor,
  signInAndExchange,
  verifyAccessToken,
  useEmulator,
  startEmulatorUnderTest,
  type EmulatorUnderTest,
} from './conformance-helpers';
import type { Seed } from './seed';

let emulator: EmulatorUnderTest;
let workos: WorkOS;

useEmulator((started) => ({ emulator, workos } = started));

describe('refresh_token grant', () => {
  it('rotates the refresh token and keeps sid and auth_time, with a new jti and iat', async () => {
    await emulator.control.configure({ authTimeClaim: true });
    const signIn = await signInAndExchange(emulator, workos, { email: ALICE.email, password: ALICE.password });
    const before = (await verifyAccessToken(emulator, workos, signIn.accessToken)).payload;
    await emulator.control.advanceClock(200);

    const refreshed = await workos.userManagement.authenticateWithRefreshToken({
      clientId: emulator.clientId,
      refreshToken: signIn.refreshToken,
    });
    const after = (await verifyAccessToken(emulator, workos, refreshed.accessToken)).payload;

    expect(refreshed.refreshToken).not.toBe(signIn.refreshToken);
    expect(refreshed.authenticationMethod).toBeUndefined();
    expect(refreshed.user.id).toBe(ALICE.id);
    expect(after.sid).toBe(before.sid);
    expect(after.auth_time).toBe(before.auth_time);
    expect(after.jti).not.toBe(before.jti);
    expect(after.iat).toBeGreaterThanOrEqual(Number(before.iat) + 200);
  });

  it('rejects a reused refresh token with 400 invalid_grant (OauthException) and keeps the new one working', async () => {
    const signIn = await signInAndExchange(emulator, workos, { email: BOB.email, password: BOB.password });
    const rotated = await workos.userManagement.authenticateWithRefreshToken({
      clientId: emulator.clientId,
      refreshToken: signIn.refreshToken,
    });

    const error = await rejectionOf(
      workos.userManagement.authenticateWithRefreshToken({
        clientId: emulator.clientId,
        refreshToken: signIn.refreshToken,
      }),
    );
    expect(error).toBeInstanceOf(OauthException);
    expect(error).toMatchObject({ status: 400, error: 'invalid_grant' });

    const next = await workos.userManagement.authenticateWithRefreshToken({
      clientId: emulator.clientId,
      refreshToken: rotated.refreshToken,
    });
    expect(next.accessToken).toMatch(/^ey/);
  });

  it('honours organization_id: switches to an organization the user belongs to, refuses others', async () => {
    const seed: Seed = {
      organizations: [
        { id: 'org_a', name: 'A' },
        { id: 'org_b', name: 'B' },
        { id: 'org_c', name: 'C' },
      ],
      users: [
        {
          id: 'user_multi',
          email: 'multi@a.test',
          password: 'pw-multi-1',
          memberships: [
            { organizationId: 'org_a', role: 'member' },
            { organizationId: 'org_b', role: 'admin', permissions: ['b:all'] },
          ],
        },
      ],
    };
    const multi = await startEmulatorUnderTest({ seed });
    try {
      const sdk = sdkFor(multi);
      const signIn = await signInAndExchange(multi, sdk, { email: 'multi@a.test', password: 'pw-multi-1' });
      expect(signIn.organizationId).toBe('org_a');
      const switched = await sdk.userManagement.authenticateWithRefreshToken({
        clientId: multi.clientId,
        refreshToken: signIn.refreshToken,
        organizationId: 'org_b',
      });
      expect(switched.organizationId).toBe('org_b');
      expect((await verifyAccessToken(multi, sdk, switched.accessToken)).payload).toMatchObject({
        org_id: 'org_b',
        role: 'admin',
        permissions: ['b:all'],
      });

      const refused = await rejectionOf(
        sdk.userManagement.authenticateWithRefreshToken({
          clientId: multi.clientId,
          refreshToken: switched.refreshToken,
          organizationId: 'org_c',
        }),
      );
      expect(refused).toMatchObject({ status: 400, error: 'invalid_grant' });
      // The refused request changed nothing: the same token still refreshes, staying in org_b.
      const stay = await sdk.userManagement.authenticateWithRefreshToken({
        clientId: multi.clientId,
        refreshToken: switched.refreshToken,
      });
      expect(stay.organizationId).toBe('org_b');
    } finally {
      await multi.close();
    }
  });
});

describe('sessions', () => {
  it('logout revokes the session, redirects to return_to, and refresh then fails', async () => {
    const signIn = await signInAndExchange(emulator, workos, { email: ALICE.email, password: ALICE.password });
    const { sid } = (await verifyAccessToken(emulator, workos, signIn.accessToken)).payload;
    const logoutUrl = workos.userManagement.getLogoutUrl({
      sessionId: String(sid),
      returnTo: 'http://localhost:3000/bye?x=1',
    });

    const response = await fetch(logoutUrl, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('http://localhost:3000/bye?x=1');

    const error = await rejectionOf(
      workos.userManagement.authenticateWithRefreshToken({
        clientId: emulator.clientId,
        refreshToken: signIn.refreshToken,
      }),
    );
    expect(error).toMatchObject({ status: 400, error: 'invalid_grant' });
    // WorkOS lists active sessions only: the revoked one is gone.
    const listed = await workos.userManagement.listSessions(ALICE.id);
    expect(listed.data.map((s) => s.id)).not.toContain(sid);
    expect((await emulator.control.sessions()).find((s) => s.id === sid)).toMatchObject({ status: 'revoked' });
  });

  it('checks return_to against the sign-out redirect allow-list when one is configured, revoking nothing otherwise', async () => {
    const strict = await startEmulatorUnderTest({ signOutRedirectUris: ['http://localhost:3000/bye'] });
    try {
      const sdk = sdkFor(strict);
      const signIn = await signInAndExchange(strict, sdk, { email: BOB.email, password: BOB.password });
      const sid = String((await verifyAccessToken(strict, sdk, signIn.accessToken)).payload.sid);
      const refused = await fetch(
        sdk.userManagement.getLogoutUrl({ sessionId: sid, returnTo: 'http://localhost:3000/elsewhere' }),
        { redirect: 'manual' },
      );
      expect(refused.status).toBe(422);
      expect(await refused.json()).toMatchObject({ errors: [{ field: 'return_to', code: 'return_to_not_allowed' }] });
      expect((await strict.control.sessions())[0]).toMatchObject({ id: sid, status: 'active' });
      const allowed = await fetch(
        sdk.userManagement.getLogoutUrl({ sessionId: sid, returnTo: 'http://localhost:3000/bye' }),
        { redirect: 'manual' },
      );
      expect(allowed.headers.get('location')).toBe('http://localhost:3000/bye');
      expect((await strict.control.sessions())[0]).toMatchObject({ status: 'revoked' });
    } finally {
      await strict.close();
    }
  });

  it('logout without return_to lands on the emulator signed-out page', async () => {
    const signIn = await signInAndExchange(emulator, workos, { email: BOB.email, password: BOB.password });
    const { sid } = (await verifyAccessToken(emulator, workos, signIn.accessToken)).payload;
    const response = await fetch(workos.userManagement.getLogoutUrl({ sessionId: String(sid) }));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Signed out');
  });

  it('lists a user’s sessions newest first and revokes one with revokeSession', async () => {
    const first = await signInAndExchange(emulator, workos, { email: BOB.email, password: BOB.password });
    await emulator.control.advanceClock(1);
    const second = await signInAndExchange(emulator, workos, { email: BOB.email, password: BOB.password });
    const firstSid = String((await verifyAccessToken(emulator, workos, first.accessToken)).payload.sid);
    const secondSid = String((await verifyAccessToken(emulator, workos, second.accessToken)).payload.sid);

    const listed = await workos.userManagement.listSessions(BOB.id);
    expect(listed.data.map((s) => s.id)).toEqual([secondSid, firstSid]);
    expect(listed.data[0]).toMatchObject({
      object: 'session',
      status: 'active',
      organizationId: 'org_acme',
      userAgent: 'conformance-browser',
    });

    await workos.userManagement.revokeSession({ sessionId: firstSid });
    const error = await rejectionOf(
      workos.userManagement.authenticateWithRefreshToken({
        clientId: emulator.clientId,
        refreshToken: first.refreshToken,
      }),
    );
    expect(error).toMatchObject({ status: 400, error: 'invalid_grant' });
    const stillOk = await workos.userManagement.authenticateWithRefreshToken({
      clientId: emulator.clientId,
      refreshToken: second.refreshToken,
    });
    expect(stillOk.refreshToken).not.toBe(second.refreshToken);

    const page = await workos.userManagement.listSessions(BOB.id, { limit: 1 });
    expect(page.data.map((s) => s.id)).toEqual([secondSid]);
    expect(page.listMetadata.after).toBeNull(); // the revoked session is not listed, so there is no second page
  });

  it('lists neither revoked nor expired sessions (WorkOS: active sessions only)', async () => {
    const old = await signInAndExchange(emulator, workos, { email: BOB.email, password: BOB.password });
    const oldSid = String((await verifyAccessToken(emulator, workos, old.accessToken)).payload.sid);
    await emulator.control.advanceClock(30 * 86_400 - 60); // the old session has a minute left
    const fresh = await signInAndExchange(emulator, workos, { email: BOB.email, password: BOB.password });
    const freshSid = String((await verifyAccessToken(emulator, workos, fresh.accessToken)).payload.sid);
    expect((await workos.userManagement.listSessions(BOB.id)).data.map((s) => s.id)).toEqual([freshSid, oldSid]);

    await emulator.control.advanceClock(61); // past the old session's 30 days
    expect((await workos.userManagement.listSessions(BOB.id)).data.map((s) => s.id)).toEqual([freshSid]);
    await workos.userManagement.revokeSession({ sessionId: freshSid });
    expect((await workos.userManagement.listSessions(BOB.id)).data).toEqual([]);
  });

  it('getUser returns the user; unknown ids are 404 NotFoundException', async () => {
    const user = await workos.userManagement.getUser(ALICE.id);
    expect(user).toMatchObject({ id: ALICE.id, email: ALICE.email, firstName: 'Alice', lastName: 'Anders' });
    expect(await rejectionOf(workos.userManagement.getUser('user_nobody'))).toBeInstanceOf(NotFoundException);
    expect(await rejectionOf(workos.userManagement.revokeSession({ sessionId: 'session_nope' }))).toBeInstanceOf(
      NotFoundException,
    );
  });

  it('getOrganization returns the organization with its domains', async () => {
    const org = await workos.organizations.getOrganization('org_acme');
    expect(org).toMatchObject({ id: 'org_acme', name: 'Acme' });
    expect(org.domains.map((d) => d.domain)).toEqual(['acme.test']);
  });
});
