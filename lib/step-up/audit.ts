import { eventRecord, type AuditContext, type AuditRecord } from '../audit/record';
import type { SessionIdentity } from '../core/claims';

/** The audit record of a refused step-up attempt: identifiers and the reason only, never the code. */
export function stepUpFailedRecord(input: {
  session: SessionIdentity | null;
  reason: string;
  target: string;
  now: number;
  requestId?: string;
  factorId?: string;
}): AuditRecord {
  const { session } = input;
  return {
    id: crypto.randomUUID(),
    type: 'step_up.failed',
    time: new Date(input.now * 1000).toISOString(),
    reason: input.reason,
    target: input.target,
    ...(session
      ? {
          sessionId: session.sessionId,
          userId: session.userId,
          ...(session.organizationId ? { organizationId: session.organizationId } : {}),
        }
      : {}),
    ...(input.requestId ? { requestId: input.requestId } : {}),
    ...(input.factorId ? { detail: { factorId: input.factorId } } : {}),
  };
}

/** The audit record of support's unlock: whose attempts were forgotten, by whom, how many sessions. */
export function unlockedRecord(input: {
  userId: string;
  by: string;
  sessions: number;
  organizationId?: string;
  now: number;
  context: AuditContext;
}): AuditRecord {
  return eventRecord({
    ...input.context,
    type: 'step_up.unlocked',
    reason: 'attempts_reset',
    userId: input.userId,
    ...(input.organizationId ? { organizationId: input.organizationId } : {}),
    now: input.now,
    detail: { ...input.context.detail, by: input.by, sessions: input.sessions },
  });
}
