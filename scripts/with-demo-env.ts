/** Runs a command with the demo's defaults for every unset variable: `tsx scripts/with-demo-env.ts next build`. */
import { spawn } from 'node:child_process';
import { withDemoDefaults } from './demo-env';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: tsx scripts/with-demo-env.ts <command> [args…]');
  process.exit(2);
}
const child = spawn(command, args, { stdio: 'inherit', env: withDemoDefaults(process.env) });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig));
