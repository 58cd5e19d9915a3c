'use client';
import { createContext, useCallback, useMemo, useRef, useState, type ComponentType, type ReactNode } from 'react';
import type { StepUpRequiredResult } from '../core/step-up-response';
import { endpointFor, type DialogData } from '../shared/wire';
import { StepUpDialog, type StepUpDialogProps } from './step-up-dialog';

/** How an in-page step-up ended: verified, cancelled, or not possible here (then the step-up page takes over). */
export type DialogOutcome = 'verified' | 'cancelled' | 'unavailable';

/** What `useStepUp` asks of the provider. */
export interface StepUpHost {
  /** Shows the dialog for `request` (joining one already open) and resolves when the user is done. */
  open(request: StepUpRequiredResult, leave: () => string | null): Promise<DialogOutcome>;
}

/** The provider `useStepUp` looks for; without one it uses the step-up page. */
export const StepUpHostContext = createContext<StepUpHost | null>(null);

/** Props of {@link StepUpProvider}. */
export interface StepUpProviderProps {
  /** The app (the provider renders it unchanged, plus the dialog when one is open). */
  readonly children?: ReactNode;
  /** Replaces the supplied dialog (from a Client Component of the app). @default the supplied `<dialog>` */
  readonly dialog?: ComponentType<StepUpDialogProps>;
  /** The step-up route. @default the step-up page's path + `/verify`, e.g. `/step-up/verify` */
  readonly endpoint?: string;
}

interface Shown {
  readonly request: StepUpRequiredResult;
  readonly data: Extract<DialogData, { status: 'ready' }>;
  readonly endpoint: string;
  readonly leave: () => string | null;
}

function isDialogData(value: unknown): value is DialogData {
  const status = (value as { status?: unknown } | null)?.status;
  return status === 'signed_out' || (status === 'ready' && typeof (value as { texts?: unknown }).texts === 'object');
}

/**
 * Lets `useStepUp` step up without leaving the page: when an action answers "step-up required", this shows
 * the step-up dialog, and the action runs again once the code verified. Put it once around the app, in the
 * root layout. The dialog asks the step-up route for the user's factors first; when that fails or the
 * session has ended, the hook falls back to the step-up page.
 * @example
 * ```tsx title="app/layout.tsx"
 * <body><StepUpProvider>{children}</StepUpProvider></body>
 * ```
 */
export function StepUpProvider({ children, dialog: Dialog = StepUpDialog, endpoint }: StepUpProviderProps) {
  const [shown, setShown] = useState<Shown | null>(null);
  const waiting = useRef<((outcome: DialogOutcome) => void)[]>([]);

  const host = useMemo<StepUpHost>(
    () => ({
      async open(request, leave) {
        const url = endpoint ?? endpointFor(request.stepUpUrl, window.location.origin);
        if (url === null) return 'unavailable';
        let data: unknown;
        try {
          const response = await fetch(url, {
            headers: { accept: 'application/json' },
            credentials: 'same-origin',
            cache: 'no-store',
          });
          data = response.ok ? await response.json() : null;
        } catch {
          return 'unavailable';
        }
        if (!isDialogData(data) || data.status !== 'ready') return 'unavailable';
        return new Promise<DialogOutcome>((resolve) => {
          waiting.current.push(resolve);
          setShown((current) => current ?? { request, data, endpoint: url, leave });
        });
      },
    }),
    [endpoint],
  );

  const settle = useCallback((outcome: DialogOutcome) => {
    const resolvers = waiting.current;
    waiting.current = [];
    setShown(null);
    for (const resolve of resolvers) resolve(outcome);
  }, []);

  return (
    <StepUpHostContext value={host}>
      {children}
      {shown ? (
        <Dialog
          request={shown.request}
          data={shown.data}
          endpoint={shown.endpoint}
          leave={shown.leave}
          onVerified={() => settle('verified')}
          onCancel={() => settle('cancelled')}
        />
      ) : null}
    </StepUpHostContext>
  );
}
