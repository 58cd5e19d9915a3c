import { describe, expect, it } from 'vitest';
import { safeCause } from './operational-log';

describe('the cause of an outage as logged', () => {
  it('drops Upstash’s command echo (a used-code key holds the code), one-time codes and tokens', () => {
    expect(
      safeCause(new Error('ERR timeout, command was: [["set","authkit-mfa:v1:{auth_factor_a}:used-code:123456","1"]]')),
    ).toBe('Error: ERR timeout');
    expect(safeCause(new Error('bad code 654321 for factor auth_factor_01K742SG00'))).toBe(
      'Error: bad code [digits] for factor auth_factor_01K742SG00',
    );
    expect(safeCause('Bearer sk_test_123 then eyJhbGciOi.eyJzdWIiOi.c2ln')).toBe('Bearer [redacted] then [token]');
    expect(safeCause(new Error(`first line\n${'x'.repeat(400)}`))).toBe('Error: first line');
    expect(safeCause(new Error('y'.repeat(400)))).toHaveLength(300);
  });
});
