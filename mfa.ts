/** The demo's server-side session-MFA helpers (route handlers, server actions, pages). */
import 'server-only';
import { createServerSessionMfa } from 'authkit-session-mfa/server';
import { edgeSessionMfa } from './mfa.config';

export const sessionMfa = edgeSessionMfa;
export const { withSessionMfa, requireSessionMfa, getSessionMfaStatus } = createServerSessionMfa(sessionMfa);
