import { describe, expect, it } from 'vitest';
import { AuditExportUsageError, parseExportArgs, parseExportTime } from './audit-export-args';

const NOW = Date.parse('2026-11-28T12:00:00Z');

describe('audit:export arguments', () => {
  it('reads a range, filters and format', () => {
    expect(
      parseExportArgs(
        [
          '--since',
          '2026-11-28T10:00:00Z',
          '--until',
          '2026-11-28T11:00:00Z',
          '--user',
          'user_alice',
          '--org',
          'org_acme',
          '--format',
          'csv',
        ],
        {},
        NOW,
      ),
    ).toEqual({
      query: {
        since: Date.parse('2026-11-28T10:00:00Z'),
        until: Date.parse('2026-11-28T11:00:00Z'),
        userId: 'user_alice',
        organizationId: 'org_acme',
      },
      format: 'csv',
      streamKey: 'authkit-mfa:v1:audit',
    });
  });

  it('defaults until to now, format to json, and takes spans back from now', () => {
    expect(parseExportArgs(['--since', '2h'], { MFA_AUDIT_STREAM_KEY: 'app:v1:audit' }, NOW)).toEqual({
      query: { since: NOW - 7_200_000, until: NOW },
      format: 'json',
      streamKey: 'app:v1:audit',
    });
    expect(parseExportTime('2026-11-28', 'since', NOW)).toBe(Date.parse('2026-11-28T00:00:00Z'));
  });

  it.each([
    [[], /--since is required/],
    [['--since', 'yesterday'], /is not a time/],
    [['--since', '11/28/2026'], /is not a time/],
    [['--since', '1h', '--until', '2h'], /before --until/],
    [['--since', '1h', '--format', 'xlsx'], /--format must be one of json, csv/],
    [['--since', '1h', '--decision', 'maybe'], /--decision must be one of/],
    [['--since', '1h', '--bogus'], /Unknown option/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseExportArgs(argv as string[], {}, NOW)).toThrow(AuditExportUsageError);
    expect(() => parseExportArgs(argv as string[], {}, NOW)).toThrow(message);
  });
});
