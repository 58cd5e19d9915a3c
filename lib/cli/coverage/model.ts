/** The report's data: one entry per route handler method, server action and page. Node-only (CLI). */
import type { RoutePattern } from './app-tree';
import type { PolicyLabel } from './policies';
import type { MiddlewareFact } from './route-match';

/** What `withSessionMfa` does for an entry. */
export type WrapperFact =
  | { readonly status: 'guarded'; readonly policy: PolicyLabel; readonly at: string }
  | { readonly status: 'none'; readonly detail?: string }
  | { readonly status: 'unknown'; readonly why: string }
  /** Pages: a page cannot be wrapped. */
  | { readonly status: 'n/a' };

/** A `requireSessionMfa(...)` (or `withSessionMfa(...)`) call inside the entry's own body. */
export interface BodyCheck {
  readonly helper: string;
  readonly policy: PolicyLabel;
  readonly at: string;
}

/** The entry's guard, all facts considered. `unknown` and `none` both fail `--require`. */
export type Guard = 'both' | 'middleware' | 'withSessionMfa' | 'none' | 'unknown';

/** One entry point of the app. */
export interface Entry {
  readonly kind: 'route' | 'action' | 'page';
  /** Actions: `use server`, or `use cache` (a cached server function, registered by Next as a server reference too). */
  readonly directive?: 'use server' | 'use cache';
  /** Inline `'use server'` function (actions only). */
  readonly inline: boolean;
  /** `GET`, the action's export or function name, or `page`. */
  readonly name: string;
  /** File (relative, `/`-separated) that Next routes or registers: the route/page file, the `'use server'` module. */
  readonly file: string;
  readonly line: number;
  /** The URL it serves (routes and pages). */
  readonly route: RoutePattern | null;
  /** Actions: the pages whose server bundle holds it (an action POST is handled on those paths). */
  readonly runsOn: readonly RoutePattern[];
  /** Actions: the name Next's server-reference manifest gives it (`exportedName`). */
  readonly exportedName: string | null;
  /** Actions: the ids the build gave it (from the server-reference manifest, when cross-checked). */
  readonly actionIds: readonly string[];
  /** Where the value is really defined, when another module (a re-export); else null. */
  readonly definedAt: string | null;
  readonly wrapper: WrapperFact;
  readonly bodyChecks: readonly BodyCheck[];
}

/** An entry with its middleware coverage and overall guard. */
export interface GuardedEntry extends Entry {
  readonly middleware: MiddlewareFact;
  readonly guard: Guard;
  /** Why the guard is what it is, in a sentence (unknown/none reasons, notes). */
  readonly note: string | null;
}
