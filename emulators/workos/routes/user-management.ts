import { codedError, invalidField, notFound } from '../api-error';
import { htmlReply, jsonReply, redirectReply } from '../http';
import { paginate, wireList } from '../pagination';
import type { Route } from '../router';
import { isSessionUsable, revokeSession } from '../sessions';
import { renderSignedOutPage } from '../sign-in-pages';
import { wireMembership, wireOrganization, wireSession, wireUser } from '../wire';

/** Where logout lands when the client gives no `return_to`. */
export const SIGNED_OUT_PATH = '/user_management/sessions/signed-out';

/** Users, organizations, JWKS and sessions (list, revoke, browser logout). */
export const userManagementRoutes: Route[] = [
  {
    method: 'GET',
    path: '/sso/jwks/:clientId',
    access: 'public',
    handle(req) {
      const clientId = req.params.clientId ?? '';
      if (clientId !== req.emu.clientId) throw notFound('Client', clientId);
      return jsonReply(200, { keys: [req.emu.signingKey.publicJwk] });
    },
  },
  {
    method: 'GET',
    path: '/user_management/users/:userId',
    access: 'api',
    handle(req) {
      const user = req.emu.store.users.get(req.params.userId ?? '');
      if (user === undefined) throw notFound('User', req.params.userId ?? '');
      return jsonReply(200, wireUser(user));
    },
  },
  {
    // `listOrganizationMemberships`: by user, by organization or both (WorkOS requires one of them).
    method: 'GET',
    path: '/user_management/organization_memberships',
    access: 'api',
    handle(req) {
      const userId = req.url.searchParams.get('user_id');
      const organizationId = req.url.searchParams.get('organization_id');
      if (!userId && !organizationId)
        throw codedError(400, 'missing_user_id_or_organization_id', 'Either user_id or organization_id is required.');
      const statuses = req.url.searchParams.get('statuses');
      const memberships = [...req.emu.store.users.values()]
        .filter((user) => !userId || user.id === userId)
        .flatMap((user) =>
          user.memberships
            .filter((m) => !organizationId || m.organizationId === organizationId)
            .map((membership) => ({
              user,
              membership,
              id: `om_${user.id}_${membership.organizationId}`,
              createdAt: user.createdAt,
            })),
        )
        .filter(() => !statuses || statuses.split(',').includes('active'));
      return jsonReply(
        200,
        wireList(paginate(memberships, req.url.searchParams), (m) =>
          wireMembership(
            m.id,
            m.user,
            m.membership,
            req.emu.store.organizations.get(m.membership.organizationId)?.name,
          ),
        ),
      );
    },
  },
  {
    method: 'GET',
    path: '/organizations/:id',
    access: 'api',
    handle(req) {
      const org = req.emu.store.organizations.get(req.params.id ?? '');
      if (org === undefined) throw notFound('Organization', req.params.id ?? '');
      return jsonReply(200, wireOrganization(org));
    },
  },
  {
    method: 'GET',
    path: '/user_management/users/:userId/sessions',
    access: 'api',
    handle(req) {
      const userId = req.params.userId ?? '';
      if (!req.emu.store.users.has(userId)) throw notFound('User', userId);
      // WorkOS documents this as the user's *active* sessions: revoked and expired ones are not listed.
      const sessions = [...req.emu.store.sessions.values()].filter(
        (s) => s.userId === userId && isSessionUsable(req.emu, s),
      );
      return jsonReply(200, wireList(paginate(sessions, req.url.searchParams), wireSession));
    },
  },
  {
    method: 'POST',
    path: '/user_management/sessions/revoke',
    access: 'api',
    handle(req) {
      const sessionId = req.json().session_id;
      if (typeof sessionId !== 'string' || sessionId === '')
        throw invalidField('session_id', 'session_id_required', 'session_id is required.');
      const session = req.emu.store.sessions.get(sessionId);
      if (session === undefined) throw notFound('Session', sessionId);
      revokeSession(req.emu, session);
      return jsonReply(200, {});
    },
  },
  {
    method: 'GET',
    path: '/user_management/sessions/logout',
    access: 'public',
    handle(req) {
      const sessionId = req.url.searchParams.get('session_id');
      if (sessionId === null || sessionId === '')
        throw invalidField('session_id', 'session_id_required', 'session_id is required.');
      const returnTo = req.url.searchParams.get('return_to');
      if (returnTo !== null && !(/^https?:\/\//i.test(returnTo) && URL.canParse(returnTo))) {
        throw invalidField('return_to', 'return_to_invalid', 'return_to must be an absolute http(s) URL.');
      }
      const allowed = req.emu.signOutRedirectUris;
      if (returnTo !== null && allowed !== null && !allowed.includes(returnTo)) {
        // Like the dashboard's sign-out redirect list: nothing is revoked for a request that cannot complete.
        throw invalidField(
          'return_to',
          'return_to_not_allowed',
          `return_to "${returnTo}" is not an allowed sign-out redirect.`,
        );
      }
      const session = req.emu.store.sessions.get(sessionId);
      // Logging out an unknown or ended session still lands the browser back in the app.
      if (session !== undefined) revokeSession(req.emu, session);
      return redirectReply(returnTo ?? new URL(SIGNED_OUT_PATH, req.emu.baseUrl).toString());
    },
  },
  {
    method: 'GET',
    path: SIGNED_OUT_PATH,
    access: 'public',
    handle: () => htmlReply(200, renderSignedOutPage()),
  },
];
