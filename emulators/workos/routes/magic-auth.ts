import { randomInt } from 'node:crypto';
import { invalidField, notFound, WorkosApiError } from '../api-error';
import { jsonReply } from '../http';
import { newId } from '../ids';
import { MAGIC_AUTH_TTL_MS } from '../lifetimes';
import { consumeAuthenticateLimit, MAGIC_AUTH_LIMIT } from '../rate-limits';
import type { Route } from '../router';
import { findUserByEmail, type MagicAuthRecord } from '../store';
import { wireMagicAuth } from '../wire';

/** A six-digit code, as WorkOS sends. */
function newMagicCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/**
 * Magic Auth codes: `createMagicAuth` "sends" a six-digit code to an existing user's email (the emulator's outbox,
 * `GET /__emulator/emails`); the `urn:workos:oauth:grant-type:magic-auth:code` grant of `authenticate` checks it.
 */
export const magicAuthRoutes: Route[] = [
  {
    method: 'POST',
    path: '/user_management/magic_auth',
    access: 'api',
    handle(req) {
      const { emu } = req;
      const body = req.json();
      const email = body.email;
      if (typeof email !== 'string' || email.trim() === '')
        throw invalidField('email', 'email_required', 'email is required.');
      consumeAuthenticateLimit(emu, `magic_auth:${email.trim().toLowerCase()}`, MAGIC_AUTH_LIMIT);
      const user = findUserByEmail(emu.store, email);
      // The emulator has no sign-up: an unknown address is refused as by an environment with sign-up turned off.
      if (user === undefined)
        throw new WorkosApiError(400, {
          error: 'sign_up_not_allowed',
          error_description: 'The request failed due to: sign_up_not_allowed.',
        });
      const now = emu.clock.now();
      const record: MagicAuthRecord = {
        id: newId('magic_auth', now),
        userId: user.id,
        email: user.email,
        code: newMagicCode(),
        createdAt: now,
        updatedAt: now,
        expiresAt: now + MAGIC_AUTH_TTL_MS,
        used: false,
      };
      emu.store.magicAuths.push(record);
      emu.webhooks.emit('magic_auth.created', wireMagicAuth(record, false));
      return jsonReply(201, wireMagicAuth(record, true));
    },
  },
  {
    method: 'GET',
    path: '/user_management/magic_auth/:id',
    access: 'api',
    handle(req) {
      const id = req.params.id ?? '';
      const record = req.emu.store.magicAuths.find((m) => m.id === id);
      if (record === undefined) throw notFound('Magic Auth', id);
      return jsonReply(200, wireMagicAuth(record, true));
    },
  },
];
