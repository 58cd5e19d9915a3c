/**
 * `tsx scripts/with-env-check.ts next build|start …`: runs the command only when the app's environment is
 * complete (see env-check.ts); otherwise names every missing variable and exits 1.
 */
import { spawn } from 'node:child_process';
import { loadEnvConfig } from '@next/env';
import { envProblems } from './env-check';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: tsx scripts/with-env-check.ts <command> [args…]');
  process.exit(2);
}
// Next's own loader, so `.env.local` and friends count exactly as they will for `next build` / `next start`.
loadEnvConfig(process.cwd(), false, { info: () => undefined, error: console.error });
const problems = envProblems(process.env);
if (problems.length > 0) {
  console.error(
    `Cannot run \`${[command, ...args].join(' ')}\`: the app's environment is incomplete.\n${problems.map((p) => `  - ${p}`).join('\n')}`,
  );
  console.error(
    'Copy .env.example to .env.local and fill it in (see the comments there), or try the app with local stand-ins: npm run demo',
  );
  process.exit(1);
}
const child = spawn(command, args, { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig));
