'use client';
import { useCallback, useContext, useEffect, useRef, useState } from 'react';
import { isStepUpRequired, readStepUpRequiredMessage, type StepUpRequiredResult } from '../core/step-up-response';
import { readStepUpMarker, withoutStepUpMarker, withStepUpMarker } from '../shared/marker';
import { dropPendingActions, savePendingAction, takePendingAction, type PendingStore } from './pending-action';
import { StepUpError } from './step-up-error';
import { StepUpHostContext } from './step-up-provider';

/** Where a step-up-aware action stands. */
export type StepUpState<R> =
  | { readonly status: 'idle' }
  | { readonly status: 'running' }
  /** The action asked for step-up; the step-up dialog is open. */
  | { readonly status: 'verifying' }
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
   * Names the action across a page load (the step-up page, re-authentication), so the right hook resumes it.
   * Needed only when a page has several `useStepUp` hooks and one may leave the page: hooks sharing a key
   * never run a saved action (it could be the other hook's); they report `step_up_unavailable` instead.
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
  /** `true` while running, verifying, redirecting or retrying. */
  readonly busy: boolean;
  /** Back to `idle` (e.g. to dismiss a result). */
  reset(): void;
}

/** How many mounted hooks use each key (a key shared by two makes a saved action ambiguous). */
const mountedKeys = new Map<string, number>();

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
 * Runs a server action wrapped with `withSessionMfa` (or any function returning its step-up result); when it
 * answers "step-up required" — or the middleware refuses the action's POST for the route's own rule — the
 * user steps up and the action runs **exactly once** more with the same arguments.
 *
 * Under a `StepUpProvider` this happens in a dialog on the page: the arguments (a `FormData` included) stay
 * in memory, nothing on the page is lost, and the action runs again as soon as the code verified.
 * "Sign in again through AuthKit" in the dialog, a dialog that cannot load, and a hook without a provider
 * use the step-up page instead: before leaving, the arguments are saved in `sessionStorage` under a random
 * nonce, and `return_to` gets `?step_up=<nonce>`. The step-up page returns there after success (or adds
 * `step_up_cancelled=1` on Cancel). On mount the hook *takes* the entry — reading and deleting it before
 * anything runs — and strips the marker from the address bar, so a reload, the Back button or a copied URL
 * finds nothing and runs nothing. Coming back without the marker reports `step_up_cancelled`. For that round
 * trip, arguments must be JSON values or `FormData` without files.
 *
 * @example
 * ```tsx title="app/admin/keys/rotate-key-panel.tsx"
 * 'use client';
 * const { run, state, busy } = useStepUp(rotateApiKey);
 * <button onClick={() => run()} aria-disabled={busy}>Rotate API key</button>
 * {state.status === 'done' && <NewKey value={state.result.key} />}
 * {state.status === 'cancelled' && <p role="status">Key rotation cancelled.</p>}
 * ```
 */
export function useStepUp<A extends unknown[], R>(
  action: (...args: A) => Promise<R | StepUpRequiredResult>,
  options: UseStepUpOptions<R> = {},
): UseStepUp<A, R> {
  const [state, setState] = useState<StepUpState<R>>({ status: 'idle' });
  const host = useContext(StepUpHostContext);
  const latest = useRef({ action, options, host });
  latest.current = { action, options, host };
  const stateRef = useRef(state);
  stateRef.current = state;

  const key = options.key ?? 'action';
  const settle = useCallback((next: Extract<StepUpState<R>, { status: 'done' | 'cancelled' | 'failed' }>) => {
    setState(next);
    latest.current.options.onSettled?.(next);
    return next;
  }, []);

  const store = useCallback(
    (): PendingStore => (latest.current.options.storage ?? (() => window.sessionStorage))(),
    [],
  );

  /** Saves `args` for the return from the step-up page; the marked path to come back to. @throws StepUpError */
  const saveForReturn = useCallback(
    (args: unknown[]): string => {
      const nonce = crypto.randomUUID();
      savePendingAction(store(), { nonce, key, args, now: Date.now() });
      return withStepUpMarker(currentPath(), nonce);
    },
    [key, store],
  );

  const invoke = useCallback(
    async (args: unknown[], retried: boolean): Promise<StepUpState<R>> => {
      let result: R | StepUpRequiredResult;
      try {
        result = await latest.current.action(...(args as A));
      } catch (cause) {
        // The middleware's refusal of the action's POST arrives as an error carrying the step-up result.
        const refusal = readStepUpRequiredMessage(cause);
        if (!refusal)
          return settle({ status: 'failed', error: new StepUpError('action_failed', 'The action failed.', { cause }) });
        result = refusal;
      }
      if (!isStepUpRequired(result)) return settle({ status: 'done', result, retried });
      if (retried)
        return settle({
          status: 'failed',
          error: new StepUpError('step_up_not_satisfied', `Step-up did not satisfy the action: ${result.message}`),
        });

      const dialog = latest.current.host;
      if (dialog) {
        setState({ status: 'verifying' });
        const outcome = await dialog.open(result, () => {
          try {
            const back = saveForReturn(args);
            setState({ status: 'redirecting' });
            return back;
          } catch {
            return null;
          }
        });
        if (outcome === 'verified') {
          setState({ status: 'retrying' });
          return invoke(args, true);
        }
        if (outcome === 'cancelled')
          return settle({ status: 'cancelled', error: new StepUpError('step_up_cancelled', 'Step-up was cancelled.') });
        // 'unavailable': the step-up page can still do it.
      }

      if (stepUpTarget(result.stepUpUrl, '/') === null)
        return settle({
          status: 'failed',
          error: new StepUpError('step_up_unavailable', 'The step-up URL is not on this origin.'),
        });
      let target: string;
      try {
        target = stepUpTarget(result.stepUpUrl, saveForReturn(args))!;
      } catch (error) {
        return settle({
          status: 'failed',
          error:
            error instanceof StepUpError
              ? error
              : new StepUpError('step_up_unavailable', 'Could not save the action.', { cause: error }),
        });
      }
      const next: StepUpState<R> = { status: 'redirecting' };
      setState(next);
      (latest.current.options.navigate ?? ((url: string) => window.location.assign(url)))(target);
      return next;
    },
    [key, settle, store, saveForReturn],
  );

  // Resume (or report the cancellation of) an action saved before the step-up round trip. Runs on mount only,
  // after every hook mounted with it has registered its key, so a key shared by two hooks is seen as such.
  useEffect(() => {
    mountedKeys.set(key, (mountedKeys.get(key) ?? 0) + 1);
    const timer = setTimeout(() => resume(), 0);
    return () => {
      clearTimeout(timer);
      mountedKeys.set(key, (mountedKeys.get(key) ?? 1) - 1);
    };

    function resume() {
      let pending: PendingStore;
      try {
        pending = store();
      } catch {
        return;
      }
      const shared = (mountedKeys.get(key) ?? 0) > 1;
      const marker = readStepUpMarker(window.location.search);
      if (!marker) {
        if (!shared && dropPendingActions(pending, key) > 0)
          settle({ status: 'cancelled', error: new StepUpError('step_up_cancelled', 'Step-up was not completed.') });
        return;
      }
      const taken = takePendingAction(pending, {
        nonce: marker.nonce,
        key,
        now: Date.now(),
        maxAgeMs: latest.current.options.maxPendingMs ?? 900_000,
      });
      if (taken.status === 'other_key') return;
      window.history.replaceState(null, '', withoutStepUpMarker(currentPath()));
      if (taken.status === 'missing') return; // a replayed marker (or another hook took it): nothing may run
      if (shared) {
        settle({
          status: 'failed',
          error: new StepUpError(
            'step_up_unavailable',
            `Several useStepUp hooks on this page share the key "${key}", so the saved action was not run: give each its own key.`,
          ),
        });
      } else if (marker.cancelled) {
        settle({ status: 'cancelled', error: new StepUpError('step_up_cancelled', 'Step-up was cancelled.') });
      } else if (taken.status === 'expired') {
        settle({
          status: 'failed',
          error: new StepUpError('step_up_expired', 'Step-up took too long; the action was not run. Try again.'),
        });
      } else {
        setState({ status: 'retrying' });
        void invoke(taken.args, true);
      }
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
  const busy =
    state.status === 'running' ||
    state.status === 'verifying' ||
    state.status === 'redirecting' ||
    state.status === 'retrying';
  return { run, state, busy, reset };
}
