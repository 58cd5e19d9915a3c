import type { AuditRecord } from '../../lib/audit/record';

let counter = 0;

/** A complete decision record for tests; override any field. */
export function sampleRecord(overrides: Partial<AuditRecord> = {}): AuditRecord {
  counter += 1;
  return {
    id: `rec_${counter}_${Math.random().toString(36).slice(2, 8)}`,
    type: 'decision',
    time: '2026-11-28T10:00:00.000Z',
    decision: 'allow',
    reason: 'verified',
    policy: { name: 'admin-area', maxAge: 43_200, methods: [], requireAllFactors: false },
    target: 'GET /admin',
    sessionId: 'session_alice_1',
    userId: 'user_alice',
    organizationId: 'org_acme',
    evidence: { source: 'ledger', verifiedAt: '2026-11-28T09:58:00.000Z', methods: ['otp'] },
    requestId: 'req_1',
    ...overrides,
  };
}
