import 'server-only';
import type { ReactElement } from 'react';
import { dropIn, pageHref, type StepUpOptions } from './drop-in';
import { stepUpPage, type StepUpPageProps } from './page';
import { stepUpRoute } from './route';

/** The drop-in step-up: the page, its route, and links to it. */
export interface StepUp {
  /** The step-up page: `export default stepUp.Page` in `app/step-up/page.tsx`. */
  readonly Page: (props: StepUpPageProps) => Promise<ReactElement>;
  /** The route's `GET` (dialog data, sign-in): `export const { GET, POST } = stepUp` in `app/step-up/verify/route.ts`. */
  readonly GET: (request: Request) => Promise<Response>;
  /** The route's `POST` (verify a code, re-authenticate). */
  readonly POST: (request: Request) => Promise<Response>;
  /**
   * A link to the step-up page that comes back to `returnTo` (made safe: same-origin paths only).
   * @example stepUp.href('/account') // '/step-up?return_to=%2Faccount'
   */
  href(returnTo: string): string;
}

/**
 * The step-up page and dialog, ready to drop in: two files of the app, a few lines each. The page verifies a
 * TOTP code for one of the session user's own factors through WorkOS (`totp`), writes this session's ledger
 * entry and returns to `return_to`; it works without JavaScript, announces every refusal, and takes every
 * sentence from `texts`. Its route (`<step-up page>/verify`) also serves the step-up dialog of
 * `StepUpProvider`: a route rather than a server action, because a server action posts to the page it is on,
 * and the middleware refuses exactly those posts when the page's own rule is no longer met.
 *
 * @example
 * ```ts title="mfa-step-up.ts"
 * export const stepUp = createStepUp({
 *   sessionMfa,
 *   totp: createTotpStepUp({ sessionMfa, mfa: () => getWorkOS().multiFactorAuth, limiter, usedCodes }),
 *   reauthentication: createReauthentication({ sessionMfa }),
 * });
 * ```
 */
export function createStepUp(options: StepUpOptions): StepUp {
  const config = dropIn(options);
  const { GET, POST } = stepUpRoute(config);
  return { Page: stepUpPage(config), GET, POST, href: (returnTo) => pageHref(config, returnTo) };
}
