import type { ReactNode } from 'react';

/**
 * A wide table's own horizontal scroller, so the page never scrolls sideways on a phone (WCAG 1.4.10). Named and
 * focusable, so keyboard users can scroll it too.
 */
export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
