import { describe, expect, it } from 'vitest';
import { cancelledReturnTo, readStepUpMarker, withoutStepUpMarker, withStepUpMarker } from './marker';

const NONCE = '0b6c3f1e-5d0a-4c71-9a52-3f0d2b7e9c11';

describe('step-up return marker', () => {
  it('adds, reads and removes the marker, keeping the rest of the path', () => {
    const marked = withStepUpMarker('/admin/keys?tab=prod#top', NONCE);
    expect(marked).toBe(`/admin/keys?tab=prod&step_up=${NONCE}#top`);
    expect(readStepUpMarker(marked.slice(marked.indexOf('?'), marked.indexOf('#')))).toEqual({
      nonce: NONCE,
      cancelled: false,
    });
    expect(withoutStepUpMarker(marked)).toBe('/admin/keys?tab=prod#top');
  });

  it('flags a cancellation only when a hook waits for it, else falls back', () => {
    const cancelled = cancelledReturnTo(withStepUpMarker('/admin/keys', NONCE));
    expect(cancelled).toBe(`/admin/keys?step_up=${NONCE}&step_up_cancelled=1`);
    expect(readStepUpMarker(cancelled.slice(cancelled.indexOf('?')))).toEqual({ nonce: NONCE, cancelled: true });
    expect(cancelledReturnTo('/admin')).toBe('/');
    expect(withStepUpMarker(cancelled, NONCE)).toBe(`/admin/keys?step_up=${NONCE}`);
  });

  it('ignores markers that are not nonces', () => {
    expect(readStepUpMarker('?step_up=')).toBeNull();
    expect(readStepUpMarker('?step_up=<script>')).toBeNull();
    expect(readStepUpMarker('?other=1')).toBeNull();
  });
});
