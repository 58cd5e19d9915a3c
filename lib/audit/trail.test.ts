import { describe, expect, it } from 'vitest';
import { sampleRecord } from '../../test/helpers/audit-fixtures';
import type { AuditRecord, AuditSink } from './record';
import { createAuditTrail } from './trail';

const collecting = (name = 'ok'): AuditSink & { records: AuditRecord[] } => {
  const records: AuditRecord[] = [];
  return {
    name,
    records,
    async write(r) {
      records.push(r);
    },
  };
};

describe('createAuditTrail', () => {
  it('reports a failing sink by name and still writes every other sink', async () => {
    const good = collecting();
    const errors: Array<[string, string]> = [];
    const trail = createAuditTrail(
      [
        {
          name: 'broken',
          write: async () => {
            throw new Error('connection refused');
          },
        },
        good,
      ],
      { onSinkError: (sink, e, r) => errors.push([sink, `${(e as Error).message} ${r.id}`]) },
    );
    const record = sampleRecord();
    await expect(trail.write(record)).resolves.toBeUndefined();
    expect(good.records).toEqual([record]);
    expect(errors).toEqual([['broken', `connection refused ${record.id}`]]);
  });

  it('reports a sink that hangs past timeoutMs instead of waiting for it', async () => {
    const errors: string[] = [];
    const trail = createAuditTrail([{ name: 'hung', write: () => new Promise<void>(() => undefined) }], {
      timeoutMs: 20,
      onSinkError: (sink, e) => errors.push(`${sink}: ${(e as Error).message}`),
    });
    await trail.write(sampleRecord());
    expect(errors).toEqual(['hung: timed out after 20 ms']);
  });

  it('survives a reporter that throws', async () => {
    const trail = createAuditTrail(
      [
        {
          name: 'broken',
          write: async () => {
            throw new Error('x');
          },
        },
      ],
      {
        onSinkError: () => {
          throw new Error('reporter broke');
        },
      },
    );
    await expect(trail.write(sampleRecord())).resolves.toBeUndefined();
  });
});

describe('the default sink-error report', () => {
  it('prints at most one line per sink and minute', async () => {
    const lines: string[] = [];
    const original = console.error;
    console.error = (line: string) => void lines.push(line);
    try {
      const trail = createAuditTrail([
        {
          name: 'down',
          write: async () => {
            throw new Error('ECONNREFUSED');
          },
        },
      ]);
      for (let i = 0; i < 5; i++) await trail.write(sampleRecord());
    } finally {
      console.error = original;
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[session-mfa\] audit sink "down" failed for record rec_\S+: ECONNREFUSED$/);
  });
});
