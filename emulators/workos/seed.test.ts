import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSeed, parseSeed, SeedError } from './seed';

const valid = () => ({
  organizations: [{ id: 'org_a', name: 'A' }],
  users: [
    {
      id: 'user_a',
      email: 'A@a.test',
      password: 'pw',
      memberships: [{ organizationId: 'org_a', role: 'member' }],
      totpFactors: [{ id: 'f1', secret: 'JBSWY3DPEHPK3PXP' }],
    },
  ],
});

describe('parseSeed', () => {
  it('accepts the default seed with the documented users', async () => {
    const seed = await loadSeed();
    expect(seed.organizations.map((o) => o.id)).toEqual(['org_acme', 'org_globex']);
    expect(seed.users.map((u) => [u.id, u.email, u.password ?? null])).toEqual([
      ['user_alice', 'alice@acme.test', 'alice-password-1'],
      ['user_bob', 'bob@acme.test', 'bob-password-1'],
      ['user_carol', 'carol@globex.test', null],
    ]);
    expect(seed.users[0]?.totpFactors).toEqual([
      { id: 'auth_factor_alice_totp', secret: 'JBSWY3DPEHPK3PXP', issuer: undefined },
    ]);
    expect(seed.users[2]?.sso).toEqual({ connectionId: 'conn_globex', amr: ['pwd', 'mfa'] });
  });

  it('lower-cases emails', () => {
    expect(parseSeed(valid()).users[0]?.email).toBe('a@a.test');
  });

  it.each([
    [
      'a missing users array',
      (s: ReturnType<typeof valid>) => ({ organizations: s.organizations }),
      'users must be an array',
    ],
    [
      'a bad email',
      (s: ReturnType<typeof valid>) => ({ ...s, users: [{ ...s.users[0], email: 'nope' }] }),
      'users[0].email must be an email address',
    ],
    [
      'an unknown field',
      (s: ReturnType<typeof valid>) => ({ ...s, users: [{ ...s.users[0], pasword: 'x' }] }),
      'users[0].pasword is not a known field',
    ],
    [
      'a user nobody can sign in as',
      (s: ReturnType<typeof valid>) => ({ ...s, users: [{ id: 'user_x', email: 'x@a.test' }] }),
      'users[0] needs a "password" or an "sso" block',
    ],
    [
      'an unknown organization',
      (s: ReturnType<typeof valid>) => ({
        ...s,
        users: [{ ...s.users[0], memberships: [{ organizationId: 'org_z', role: 'r' }] }],
      }),
      'users[0].memberships[0].organizationId refers to unknown organization "org_z"',
    ],
    [
      'a non-base32 secret',
      (s: ReturnType<typeof valid>) => ({
        ...s,
        users: [{ ...s.users[0], totpFactors: [{ id: 'f', secret: 'jbswy3dpehpk3pxp' }] }],
      }),
      'users[0].totpFactors[0].secret must be a base32 string',
    ],
    [
      'a duplicate email',
      (s: ReturnType<typeof valid>) => ({
        ...s,
        users: [s.users[0], { ...s.users[0], id: 'user_b', totpFactors: [] }],
      }),
      'users has a duplicate email "a@a.test"',
    ],
  ])('rejects %s with a message naming the path', (_label, mutate, message) => {
    expect(() => parseSeed(mutate(valid()))).toThrow(SeedError);
    expect(() => parseSeed(mutate(valid()))).toThrow(message);
  });
});

describe('loadSeed', () => {
  it('names the file when it is not JSON or cannot be read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'seed-'));
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{ nope');
    await expect(loadSeed(broken)).rejects.toThrow(`Seed file ${broken} is not valid JSON`);
    await expect(loadSeed(join(dir, 'missing.json'))).rejects.toThrow('Cannot read seed file');
    const wrong = join(dir, 'wrong.json');
    await writeFile(wrong, JSON.stringify({ organizations: [], users: [{ id: 'u' }] }));
    await expect(loadSeed(wrong)).rejects.toThrow(`(in ${wrong})`);
  });
});
