import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // The demo and its tests run on loopback; no telemetry, no remote images.
  poweredByHeader: false,
  // The e2e run builds into its own directory: NEXT_PUBLIC_WORKOS_REDIRECT_URI is inlined at build time and
  // its app port differs from the demo's.
  ...(process.env.NEXT_DIST_DIR ? { distDir: process.env.NEXT_DIST_DIR } : {}),
  // `npm run demo` and the e2e run build without type-checking: `npm run typecheck` (part of `npm test`) does it.
  typescript: { ignoreBuildErrors: process.env.NEXT_SKIP_TYPECHECK === '1' },
};

export default nextConfig;
