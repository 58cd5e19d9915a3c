import { describe, expect, it } from 'vitest';
import { checkKeyPrefix, DEFAULT_KEY_PREFIX, keyNamespace, scopedKey, slottedKey } from './keys';

describe('the key scheme', () => {
  it('is <prefix>:v1:{<id>}:<kind>, the id in a Redis Cluster hash tag', () => {
    expect(scopedKey(DEFAULT_KEY_PREFIX, 'session_01ABC', 'ledger')).toBe('authkit-mfa:v1:{session_01ABC}:ledger');
    expect(`${keyNamespace('app')}:${slottedKey('user_1', 'step-up:user')}`).toBe(
      scopedKey('app', 'user_1', 'step-up:user'),
    );
  });

  it.each(['', 'a}b', 'x{y', 'session_1}:ledger{x', 'a b', 'é', 'x'.repeat(129)])(
    'refuses the id %j (it could leave its slot or its namespace)',
    (id) => {
      expect(() => scopedKey('app', id, 'ledger')).toThrow(
        expect.objectContaining({ code: 'ERR_MFA_LEDGER_ENTRY_INVALID' }),
      );
    },
  );

  it.each(['', 'has space', 'brace{', 'x'.repeat(65), 7])('refuses the prefix %j, naming keyPrefix', (prefix) => {
    expect(() => checkKeyPrefix(prefix)).toThrow(
      expect.objectContaining({ code: 'ERR_MFA_CONFIG_INVALID', field: 'keyPrefix' }),
    );
  });
});
