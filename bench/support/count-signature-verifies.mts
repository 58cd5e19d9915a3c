/**
 * Preloaded into the bench apps' `next start` (`NODE_OPTIONS=--import <this file>`): counts asymmetric
 * signature verifications, whoever makes them, and serves the count on 127.0.0.1:$BENCH_COUNTER_PORT.
 *
 * Why here and not in the apps: jose's Node build captures `crypto.verify` when it loads, so only a patch
 * applied before any app module runs sees every call. Next's Edge sandbox builds its `crypto` from Node's
 * `webcrypto`, whose `subtle` is one process-wide object, so the same patch also counts Edge middleware.
 * Plain erasable TypeScript with no imports of project files: Node 22 strips the types itself.
 */
import nodeCrypto from 'node:crypto';
import { createServer } from 'node:http';
import { syncBuiltinESMExports } from 'node:module';

const counts = { subtle: 0, node: 0, hmacSubtle: 0 };

function isAsymmetric(algorithm: unknown): boolean {
  const name = typeof algorithm === 'string' ? algorithm : (algorithm as { name?: unknown } | null)?.name;
  return typeof name === 'string' && !/^hmac$/i.test(name);
}

const subtle = nodeCrypto.webcrypto.subtle;
const originalSubtleVerify = subtle.verify.bind(subtle);
Object.defineProperty(subtle, 'verify', {
  configurable: true,
  writable: true,
  value: (...args: Parameters<SubtleCrypto['verify']>) => {
    if (isAsymmetric(args[0])) counts.subtle += 1;
    else counts.hmacSubtle += 1;
    return originalSubtleVerify(...args);
  },
});

const originalVerify = nodeCrypto.verify;
nodeCrypto.verify = ((...args: unknown[]) => {
  counts.node += 1;
  return (originalVerify as (...a: unknown[]) => unknown)(...args);
}) as typeof nodeCrypto.verify;
syncBuiltinESMExports();

const port = Number(process.env.BENCH_COUNTER_PORT);
if (Number.isInteger(port) && port > 0) {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ signatureVerifies: counts.subtle + counts.node, ...counts }));
  });
  // Only one process may own the port; say so instead of crashing the app if a second one tries.
  server.once('error', (error) => console.error(`[bench] verify counter not served: ${error.message}`));
  server.listen(port, '127.0.0.1');
  server.unref();
}
