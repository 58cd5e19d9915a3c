/**
 * Playwright global setup: runs `e2e/stack.ts` (stand-ins, build when needed, `next start`) as a child process,
 * waits for its ready line, hands its variables to the tests, and returns the teardown that stops it.
 * (Playwright's `webServer` starts before global setup, and the app must start after the stand-ins.)
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { READY_PREFIX } from './support/stack-protocol';

const ROOT = join(__dirname, '..');

export default async function globalSetup(): Promise<() => Promise<void>> {
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'e2e', 'stack.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const variables = await new Promise<Record<string, string>>((resolve, reject) => {
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) !== -1) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.startsWith(READY_PREFIX))
          resolve(JSON.parse(line.slice(READY_PREFIX.length)) as Record<string, string>);
        else console.log(line);
      }
    });
    void exited.then((code) => reject(new Error(`e2e/stack.ts exited with code ${code} before it was ready.`)));
  });
  Object.assign(process.env, variables);
  return async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
}
