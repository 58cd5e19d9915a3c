import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Secret } from 'otpauth';

/** Path of the seed used when none is given. */
export const DEFAULT_SEED_PATH = fileURLToPath(new URL('./seed.json', import.meta.url));

export interface SeedOrganization {
  id: string;
  name: string;
  /** @default [] */
  domains?: string[];
}

export interface SeedMembership {
  organizationId: string;
  role: string;
  /** @default [] */
  permissions?: string[];
}

export interface SeedTotpFactor {
  id: string;
  /** Base32 TOTP secret (RFC 4648, no padding needed). */
  secret: string;
  /** @default 'WorkOS Emulator' */
  issuer?: string;
}

export interface SeedUser {
  id: string;
  email: string;
  firstName?: string;
  lastName?: string;
  /** Password for the password form and grant. Omit for SSO-only users. */
  password?: string;
  /** Marks an SSO-style user: signs in with "Continue with SSO", no password. */
  sso?: {
    /** @default 'conn_<user id>' */
    connectionId?: string;
    /** RFC 8176 `amr` the IdP reports (only in `claimsMode: 'tomorrow'`). @default ['pwd'] */
    amr?: string[];
  };
  /** The first membership is the user's default organization. @default [] */
  memberships?: SeedMembership[];
  /** @default [] */
  totpFactors?: SeedTotpFactor[];
}

export interface Seed {
  organizations: SeedOrganization[];
  users: SeedUser[];
  /**
   * Audit Logs actions with a configured schema (in WorkOS: defined in the dashboard or through the schemas API).
   * `auditLogs.createEvent` with any other action fails, as in production. @default []
   */
  auditLogActions?: string[];
}

/** Thrown when a seed does not have the expected shape; the message names the offending path. */
export class SeedError extends Error {
  override name = 'SeedError';
}

type Json = Record<string, unknown>;

function fail(path: string, expected: string): never {
  throw new SeedError(`Invalid seed: ${path} ${expected}`);
}

function object(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'must be an object');
  return value as Json;
}

function onlyKeys(value: Json, path: string, allowed: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) fail(`${path}.${key}`, `is not a known field (allowed: ${allowed.join(', ')})`);
  }
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim() === '') fail(path, 'must be a non-empty string');
  return value;
}

function optionalText(value: unknown, path: string): string | undefined {
  return value === undefined ? undefined : text(value, path);
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, 'must be an array');
  return value;
}

function texts(value: unknown, path: string): string[] | undefined {
  if (value === undefined) return undefined;
  return array(value, path).map((item, i) => text(item, `${path}[${i}]`));
}

function parseOrganization(value: unknown, path: string): SeedOrganization {
  const o = object(value, path);
  onlyKeys(o, path, ['id', 'name', 'domains']);
  return {
    id: text(o.id, `${path}.id`),
    name: text(o.name, `${path}.name`),
    domains: texts(o.domains, `${path}.domains`),
  };
}

function parseMembership(value: unknown, path: string): SeedMembership {
  const o = object(value, path);
  onlyKeys(o, path, ['organizationId', 'role', 'permissions']);
  return {
    organizationId: text(o.organizationId, `${path}.organizationId`),
    role: text(o.role, `${path}.role`),
    permissions: texts(o.permissions, `${path}.permissions`),
  };
}

function parseFactor(value: unknown, path: string): SeedTotpFactor {
  const o = object(value, path);
  onlyKeys(o, path, ['id', 'secret', 'issuer']);
  const secret = text(o.secret, `${path}.secret`);
  if (!isBase32Secret(secret)) fail(`${path}.secret`, 'must be a base32 string (A-Z, 2-7) of at least 16 characters');
  return { id: text(o.id, `${path}.id`), secret, issuer: optionalText(o.issuer, `${path}.issuer`) };
}

function parseUser(value: unknown, path: string): SeedUser {
  const o = object(value, path);
  onlyKeys(o, path, ['id', 'email', 'firstName', 'lastName', 'password', 'sso', 'memberships', 'totpFactors']);
  const email = text(o.email, `${path}.email`);
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) fail(`${path}.email`, 'must be an email address');
  let sso: SeedUser['sso'];
  if (o.sso !== undefined) {
    const s = object(o.sso, `${path}.sso`);
    onlyKeys(s, `${path}.sso`, ['connectionId', 'amr']);
    sso = {
      connectionId: optionalText(s.connectionId, `${path}.sso.connectionId`),
      amr: texts(s.amr, `${path}.sso.amr`),
    };
  }
  const user: SeedUser = {
    id: text(o.id, `${path}.id`),
    email: email.toLowerCase(),
    firstName: optionalText(o.firstName, `${path}.firstName`),
    lastName: optionalText(o.lastName, `${path}.lastName`),
    password: optionalText(o.password, `${path}.password`),
    sso,
    memberships:
      o.memberships === undefined
        ? undefined
        : array(o.memberships, `${path}.memberships`).map((m, i) => parseMembership(m, `${path}.memberships[${i}]`)),
    totpFactors:
      o.totpFactors === undefined
        ? undefined
        : array(o.totpFactors, `${path}.totpFactors`).map((f, i) => parseFactor(f, `${path}.totpFactors[${i}]`)),
  };
  if (user.password === undefined && user.sso === undefined)
    fail(path, 'needs a "password" or an "sso" block, or nobody can sign in as this user');
  return user;
}

function requireUnique(values: string[], path: string, what: string): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) fail(path, `has a duplicate ${what} "${value}"`);
    seen.add(value);
  }
}

/** True for a usable RFC 4648 base32 TOTP secret (at least 80 bits). */
export function isBase32Secret(secret: string): boolean {
  return /^[A-Z2-7]{16,}=*$/.test(secret);
}

/**
 * Checks an untrusted value (parsed JSON) and returns it as a {@link Seed}.
 * @throws {SeedError} naming the first offending path, e.g. `users[1].email must be an email address`.
 */
export function parseSeed(value: unknown): Seed {
  const root = object(value, 'seed');
  onlyKeys(root, 'seed', ['$comment', 'organizations', 'users', 'auditLogActions']);
  const organizations = array(root.organizations, 'organizations').map((o, i) =>
    parseOrganization(o, `organizations[${i}]`),
  );
  const users = array(root.users, 'users').map((u, i) => parseUser(u, `users[${i}]`));
  const auditLogActions = texts(root.auditLogActions, 'auditLogActions');
  requireUnique(
    organizations.map((o) => o.id),
    'organizations',
    'id',
  );
  requireUnique(
    users.map((u) => u.id),
    'users',
    'id',
  );
  requireUnique(
    users.map((u) => u.email),
    'users',
    'email',
  );
  requireUnique(
    users.flatMap((u) => (u.totpFactors ?? []).map((f) => f.id)),
    'users[*].totpFactors',
    'factor id',
  );
  const orgIds = new Set(organizations.map((o) => o.id));
  users.forEach((user, i) => {
    (user.memberships ?? []).forEach((m, j) => {
      if (!orgIds.has(m.organizationId))
        fail(`users[${i}].memberships[${j}].organizationId`, `refers to unknown organization "${m.organizationId}"`);
    });
  });
  // otpauth must accept every secret, or sign-in would fail later with a less helpful error.
  users.forEach((user, i) =>
    (user.totpFactors ?? []).forEach((f, j) => {
      try {
        Secret.fromBase32(f.secret);
      } catch {
        fail(`users[${i}].totpFactors[${j}].secret`, 'is not valid base32');
      }
    }),
  );
  return { organizations, users, ...(auditLogActions === undefined ? {} : { auditLogActions }) };
}

/**
 * Resolves the `seed` option: an object is validated as is, a string is read as a JSON file.
 * @throws {SeedError} when the file cannot be read, is not JSON, or has the wrong shape.
 */
export async function loadSeed(source: Seed | string = DEFAULT_SEED_PATH): Promise<Seed> {
  if (typeof source !== 'string') return parseSeed(source);
  let raw: string;
  try {
    raw = await readFile(source, 'utf8');
  } catch (error) {
    throw new SeedError(`Cannot read seed file ${source}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new SeedError(`Seed file ${source} is not valid JSON: ${(error as Error).message}`);
  }
  try {
    return parseSeed(parsed);
  } catch (error) {
    if (error instanceof SeedError) throw new SeedError(`${error.message} (in ${source})`);
    throw error;
  }
}
