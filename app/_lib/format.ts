/** Small display helpers of the demo pages. */
import type { MfaDecision, MfaPolicy } from 'authkit-session-mfa';

/** "just now", "3 min ago", "2 h ago", "4 days ago". */
export function timeAgo(epochSeconds: number, nowSeconds: number): string {
  const age = Math.max(0, nowSeconds - epochSeconds);
  if (age < 45) return 'just now';
  if (age < 3600) return `${Math.round(age / 60)} min ago`;
  if (age < 86_400) return `${Math.round(age / 3600)} h ago`;
  const days = Math.round(age / 86_400);
  return `${days} day${days === 1 ? '' : 's'} ago`;
}

/** A duration in words: 600 → "10 minutes". */
export function spanInWords(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} hour${seconds === 3600 ? '' : 's'}`;
  if (seconds % 60 === 0) return `${seconds / 60} minute${seconds === 60 ? '' : 's'}`;
  return `${seconds} seconds`;
}

/** What a policy demands, e.g. "MFA within 12 hours". */
export function describePolicy(policy: MfaPolicy | null): string {
  if (!policy) return 'unknown policy';
  return policy.maxAge === null ? 'MFA at any time in this session' : `MFA within ${spanInWords(policy.maxAge)}`;
}

/** `session_01HXYZ…` → `session_…WXYZ`: enough to tell sessions apart, not to copy one. */
export function shortId(id: string): string {
  const cut = id.indexOf('_');
  return id.length <= 14 ? id : `${id.slice(0, cut + 1)}…${id.slice(-6)}`;
}

/** Where the evidence of a decision came from, in words. */
export function evidenceLabel(decision: MfaDecision): string {
  const source = decision.evidence?.source;
  if (source === 'ledger') return 'Step-up ledger';
  if (source === 'claims') return 'Token claims';
  return '—';
}

const METHOD_LABELS: Readonly<Record<string, string>> = {
  otp: 'authenticator code',
  pwd: 'password',
  mfa: 'multi-factor sign-in',
  hwk: 'security key',
  swk: 'passkey',
  sms: 'SMS code',
  fpt: 'fingerprint',
  face: 'face recognition',
};

/** RFC 8176 method values in words, e.g. `['otp']` → "authenticator code". */
export function methodsInWords(methods: readonly string[]): string {
  return methods.length === 0 ? 'unknown method' : methods.map((m) => METHOD_LABELS[m] ?? m).join(', ');
}
