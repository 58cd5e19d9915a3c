import { StepUpError } from './step-up-error';

/** The slice of `Storage` (`window.sessionStorage`) the hook uses. */
export type PendingStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;

const PREFIX = 'authkit-session-mfa:pending:';

interface PendingEntry {
  readonly v: 1;
  readonly key: string;
  readonly args: unknown[];
  readonly savedAt: number;
}

/** What {@link takePendingAction} found for a marker. */
export type TakenAction =
  | { readonly status: 'found'; readonly args: unknown[] }
  | { readonly status: 'expired' }
  /** Nothing saved under this nonce: a replayed or foreign marker. Nothing may run. */
  | { readonly status: 'missing' }
  /** Saved by another hook on this page (another `key`); left for it. */
  | { readonly status: 'other_key' };

/** `true` for values JSON carries unchanged: null, booleans, finite numbers, strings, arrays and plain objects of them. */
function isJsonValue(value: unknown, depth = 0): boolean {
  if (depth > 32) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((item) => isJsonValue(item, depth + 1));
  if (typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return (
    (proto === Object.prototype || proto === null) && Object.values(value).every((item) => isJsonValue(item, depth + 1))
  );
}

function parse(raw: string | null): PendingEntry | null {
  if (raw === null) return null;
  try {
    const value = JSON.parse(raw) as Partial<PendingEntry>;
    if (
      value.v !== 1 ||
      typeof value.key !== 'string' ||
      !Array.isArray(value.args) ||
      typeof value.savedAt !== 'number'
    )
      return null;
    return value as PendingEntry;
  } catch {
    return null;
  }
}

/** Tags a `FormData` argument in storage: its text fields, in order. */
const FORM_DATA = '$authkit-session-mfa:FormData';

/** A `FormData` argument as JSON (text fields only: a file cannot be stored); other arguments as they are. */
function encodeArg(value: unknown): unknown {
  if (typeof FormData === 'undefined' || !(value instanceof FormData)) return value;
  const entries: [string, string][] = [];
  for (const [name, field] of value) {
    if (typeof field !== 'string')
      throw new StepUpError(
        'step_up_unavailable',
        'A form with a file cannot survive the step-up round trip; verify in the dialog instead.',
      );
    entries.push([name, field]);
  }
  return { [FORM_DATA]: entries };
}

function decodeArg(value: unknown): unknown {
  const entries =
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[FORM_DATA] : undefined;
  if (!Array.isArray(entries)) return value;
  const form = new FormData();
  for (const entry of entries)
    if (Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'string')
      form.append(entry[0], entry[1]);
  return form;
}

/**
 * Saves an action's arguments under `nonce` for the step-up round trip. `FormData` arguments keep their text
 * fields.
 * @throws StepUpError `step_up_unavailable` when the arguments are not JSON or storage refuses.
 */
export function savePendingAction(
  store: PendingStore,
  input: { nonce: string; key: string; args: readonly unknown[]; now: number },
): void {
  const args = input.args.map(encodeArg);
  if (!isJsonValue(args))
    throw new StepUpError(
      'step_up_unavailable',
      'The action’s arguments must be JSON values or FormData (no Dates, Maps or undefined) to survive the step-up round trip.',
    );
  const raw = JSON.stringify({ v: 1, key: input.key, args, savedAt: input.now } satisfies PendingEntry);
  try {
    store.setItem(PREFIX + input.nonce, raw);
  } catch (cause) {
    throw new StepUpError(
      'step_up_unavailable',
      'sessionStorage is unavailable, so the action cannot be resumed after step-up.',
      { cause },
    );
  }
}

/**
 * Takes (reads **and removes**) the action saved under `nonce` for `key`. Removal happens before the caller
 * runs anything, so the same marker can never run the action twice.
 */
export function takePendingAction(
  store: PendingStore,
  input: { nonce: string; key: string; now: number; maxAgeMs: number },
): TakenAction {
  const entry = parse(store.getItem(PREFIX + input.nonce));
  if (!entry) {
    store.removeItem(PREFIX + input.nonce);
    return { status: 'missing' };
  }
  if (entry.key !== input.key) return { status: 'other_key' };
  store.removeItem(PREFIX + input.nonce);
  if (input.now - entry.savedAt > input.maxAgeMs || input.now < entry.savedAt) return { status: 'expired' };
  return { status: 'found', args: entry.args.map(decodeArg) };
}

/** Removes every saved action of `key` (the user came back without finishing step-up); how many were removed. */
export function dropPendingActions(store: PendingStore, key: string): number {
  const names: string[] = [];
  for (let i = 0; i < store.length; i++) {
    const name = store.key(i);
    if (name?.startsWith(PREFIX) && parse(store.getItem(name))?.key === key) names.push(name);
  }
  for (const name of names) store.removeItem(name);
  return names.length;
}
