import type { Page, TestInfo } from '@playwright/test';

/** Where the run keeps its screenshots (outside Playwright's per-test output, which is wiped per run). */
export const SCREENSHOT_DIR = 'test-results/screenshots';

/**
 * Saves a screenshot as a test artifact: in `test-results/screenshots/` and attached to the test. Full page by
 * default; `viewport` for what is on screen (a modal dialog dims only the viewport).
 */
export async function saveScreenshot(
  page: Page,
  testInfo: TestInfo,
  name: string,
  options: { viewport?: boolean } = {},
): Promise<void> {
  const path = `${SCREENSHOT_DIR}/${name}.png`;
  await page.screenshot({ path, fullPage: !options.viewport });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}
