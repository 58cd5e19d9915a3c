'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { isStepUpRequired, type StepUpRequiredResult } from '../core/step-up-response';
import { readStepUpMarker, withoutStepUpMarker, withStepUpMarker } from '../step-up/marker';
import { dropPendingActions, savePendingAction, takePendingAction, type PendingStore } from './pending-action';
import { StepUpError } from './step-up-error';

/** Where a step-up-aware action stands. */
export type StepUpState<R> =
  | { readonly status: 'idle' }
  | { readonly status: 'running' }
  /** The action asked for step-up; the browser is on its way to the step-up page. */
  | { readonly status: 'redirecting' }
  /** Back from step-up; the action runs its one retry. */
  | { readonly status: 'retrying' }
  | { readonly status: 'done'; readonly result: R; readonly retried: boolean }
  | { readonly status: 'cancelled'; readonly error: StepUpError }
  | { readonly status: 'failed'; readonly error: StepUpError };

/** Options of {@link useStepUp}. */
export interface UseStepUpOptions<R> {
  /**
   * Names the action across the page load, so the right hook resumes it. Give each hook on a page its own.
   * @default 'action'
   */
  readonly key?: string;
  /** How long a saved action may wait for the user to come back, in milliseconds. @default 900000 (15 min) */
  readonly maxPendingMs?: number;
  /** Called once per run with its final state (`done`, `cancelled` or `failed`). */
  readonly onSettled?: (state: Extract<StepUpState<R>, { status: 'done' | 'cancelled' | 'failed' }>) => void;
  /** Leaves for the step-up page. @default (url) => window.location.assign(url) */
  readonly navigate?: (url: string) => void;
  /** Where the action is saved for the round trip. @default window.sessionStorage */
  readonly storage?: () => PendingStore;
}

/** What {@link useStepUp} returns. */
export interface UseStepUp<A extends unknown[], R> {
  /** Runs the action; resolves with the state it reached on this page (`redirecting` when it left for step-up). */
  run(...args: A): Promise<StepUpState<R>>;
  readonly state: StepUpState<R>;
  /** `true` while running, redirecting or retrying. */
  readonly busy: boolean;
  /** Back to `idle` (e.g. to dismiss a result). */
  reset(): void;
}

function currentPath(): string {
  return `${window.location.pathname}${window.location.search}${window.location.hash}`;
}

/** The same-origin step-up URL with `return_to` pointing back here, or `null` when the URL is not same-origin. */
function stepUpTarget(stepUpUrl: string, returnTo: string): string | null {
  try {
    const url = new URL(stepUpUrl, window.location.origin);
    if (url.origin !== window.location.origin) return null;
    url.searchParams.set('return_to', returnTo);
    return `${url.pathname}${url.search}`;
  } catch {
    return null;
  }
}

/**
 * Runs a server action wrapped with `withSessionMfa`; when it answers "step-up required", sends the user to
 * the step-up page and, on return, runs it **exactly once** more with the same arguments.
 *
 * How the retry survives the full-page round trip: before leaving, the arguments are saved in
 * `sessionStorage` under a random nonce, and `return_to` gets `?step_up=<nonce>`. The step-up page returns
 * there after success (or adds `step_up_cancelled=1` on Cancel). On mount the hook *takes* the entry —
 * reading and deleting it before anything runs — and strips the marker from the address bar, so a reload,
 * the Back button or a copied URL finds nothing and runs nothing. Coming back without the marker (Back from
 * the step-up page) reports `step_up_cancelled`. Arguments must be JSON values.
 *
 * @example
 * ```tsx title="app/admin/keys/rotate-key-panel.tsx"
 * 'use client';
 * const { run, state, busy } = useStepUp(rotateApiKey, { key: 'rotate-api-key' });
 * <button onClick={() => run()} disabled={busy}>Rotate API key</button>
 * {state.status === 'done' && <NewKey value={state.result.key} />}
 * {state.status === 'cancelled' && <p role="status">Key rotation cancelled.</p>}
 * ```
 */
export function useStepUp<A extends unknown[], R>(action: (...args: A) => Promise<R | StepUpRequiredResult>, options: UseStepUpOptions<R> = {}): UseStepUp<A, R> {
  const [state, setState] = useState<StepUpState<R>>({ status: 'idle' });
  const latest = useRef({ action, options });
  latest.current = { action, options };
  const stateRef = useRef(state);
  stateRef.current = state;

  const key = options.key ?? 'action';
  const settle = useCallback((next: Extract<StepUpState<R>, { status: 'done' | 'cancelled' | 'failed' }>) => {
    setState(next);
    latest.current.options.onSettled?.(next);
    return next;
  }, []);

  const store = useCallback((): PendingStore => (latest.current.options.storage ?? (() => window.sessionStorage))(), []);

  const invoke = useCallback(
    async (args: unknown[], retried: boolean): Promise<StepUpState<R>> => {
      let result: R | StepUpRequiredResult;
      try {
        result = await latest.current.action(...(args as A));
      } catch (cause) {
        return settle({ status: 'failed', error: new StepUpError('action_failed', 'The action failed.', { cause }) });
      }
      if (!isStepUpRequired(result)) return settle({ status: 'done', result, retried });
      if (retried) return settle({ status: 'failed', error: new StepUpError('step_up_not_satisfied', `Step-up did not satisfy the action: ${result.message}`) });

      const nonce = crypto.randomUUID();
      const target = stepUpTarget(result.stepUpUrl, withStepUpMarker(currentPath(), nonce));
      if (target === null) return settle({ status: 'failed', error: new StepUpError('step_up_unavailable', 'The step-up URL is not on this origin.') });
      try {
        savePendingAction(store(), { nonce, key, args, now: Date.now() });
      } catch (error) {
        return settle({ status: 'failed', error: error instanceof StepUpError ? error : new StepUpError('step_up_unavailable', 'Could not save the action.', { cause: error }) });
      }
      const next: StepUpState<R> = { status: 'redirecting' };
      setState(next);
      (latest.current.options.navigate ?? ((url: string) => window.location.assign(url)))(target);
      return next;
    },
    [key, settle, store],
  );

  // Resume (or report the cancellation of) an action saved before the step-up round trip. Runs on mount only.
  useEffect(() => {
    let pending: PendingStore;
    try {
      pending = store();
    } catch {
      return;
    }
    const marker = readStepUpMarker(window.location.search);
    if (!marker) {
      if (dropPendingActions(pending, key) > 0) settle({ status: 'cancelled', error: new StepUpError('step_up_cancelled', 'Step-up was not completed.') });
      return;
    }
    const taken = takePendingAction(pending, { nonce: marker.nonce, key, now: Date.now(), maxAgeMs: latest.current.options.maxPendingMs ?? 900_000 });
    if (taken.status === 'other_key') return;
    window.history.replaceState(null, '', withoutStepUpMarker(currentPath()));
    if (taken.status === 'missing') return; // a replayed marker: nothing may run
    if (marker.cancelled) {
      settle({ status: 'cancelled', error: new StepUpError('step_up_cancelled', 'Step-up was cancelled.') });
    } else if (taken.status === 'expired') {
      settle({ status: 'failed', error: new StepUpError('step_up_expired', 'Step-up took too long; the action was not run. Try again.') });
    } else {
      setState({ status: 'retrying' });
      void invoke(taken.args, true);
    }
  }, [key, invoke, settle, store]);

  // Back from the step-up page via the browser's page cache: the action was left waiting.
  useEffect(() => {
    const onPageShow = (event: PageTransitionEvent) => {
      if (!event.persisted || stateRef.current.status !== 'redirecting') return;
      try {
        dropPendingActions(store(), key);
      } finally {
        settle({ status: 'cancelled', error: new StepUpError('step_up_cancelled', 'Step-up was not completed.') });
      }
    };
    window.addEventListener('pageshow', onPageShow);
    return () => window.removeEventListener('pageshow', onPageShow);
  }, [key, settle, store]);

  const run = useCallback(
    (...args: A): Promise<StepUpState<R>> => {
      setState({ status: 'running' });
      return invoke(args, false);
    },
    [invoke],
  );
  const reset = useCallback(() => setState({ status: 'idle' }), []);
  const busy = state.status === 'running' || state.status === 'redirecting' || state.status === 'retrying';
  return { run, state, busy, reset };
}
