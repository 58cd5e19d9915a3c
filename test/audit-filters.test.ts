import { describe, expect, it } from 'vitest';
import { parseAuditFilters } from '../app/audit/audit-filters';

const NOW = Date.parse('2026-11-28T12:00:30Z');

describe('/audit filters', () => {
  it('defaults to the last 24 hours of the admin’s organization', () => {
    expect(parseAuditFilters({}, 'org_acme', NOW)).toMatchObject({
      user: '',
      decision: '',
      since: '2026-11-27T12:00',
      until: '2026-11-28T12:00',
      query: { since: NOW - 86_400_000, until: NOW + 1, organizationId: 'org_acme', limit: 200 },
    });
  });

  it('reads user, decision and a UTC range (the whole "until" minute included)', () => {
    const f = parseAuditFilters(
      { user: 'user_bob', decision: 'deny', since: '2026-11-28T10:00', until: '2026-11-28T11:00' },
      'org_acme',
      NOW,
    );
    expect(f.query).toEqual({
      since: Date.parse('2026-11-28T10:00:00Z'),
      until: Date.parse('2026-11-28T11:01:00Z'),
      organizationId: 'org_acme',
      userId: 'user_bob',
      decision: 'deny',
      type: 'decision',
      limit: 200,
    });
  });

  it('never takes the organization from the URL, and drops unusable values', () => {
    const f = parseAuditFilters(
      {
        org: 'org_globex',
        orgId: 'org_globex',
        user: 'x y',
        decision: 'maybe',
        since: 'yesterday',
        until: ['2026-11-28T11:00', 'x'],
      },
      'org_acme',
      NOW,
    );
    expect(f.query.organizationId).toBe('org_acme');
    expect(f.query).not.toHaveProperty('userId');
    expect(f.query).not.toHaveProperty('decision');
    expect(f.query.since).toBe(Date.parse('2026-11-28T11:00:00Z') - 86_400_000);
  });
});
