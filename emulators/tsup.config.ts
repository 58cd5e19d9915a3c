import { copyFile } from 'node:fs/promises';
import { defineConfig } from 'tsup';

/** The package's commands: bin name → source. Plain Node runs the output (no tsx). */
export const BINS = { 'workos-emulator': 'workos/cli.ts', 'upstash-stand-in': 'upstash/cli.ts' } as const;

export default defineConfig({
  entry: BINS,
  format: ['esm'],
  platform: 'node',
  target: 'node22',
  outDir: 'dist',
  // `dependencies` (jose, otpauth, redis) stay imports, installed beside the package; everything else is bundled.
  splitting: false,
  sourcemap: true,
  // The default seed is read at run time from beside the bundle (`new URL('./seed.json', import.meta.url)`).
  onSuccess: () => copyFile('workos/seed.json', 'dist/seed.json'),
});
