import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // The demo and its tests run on loopback; no telemetry, no remote images.
  poweredByHeader: false,
  // The e2e run builds into its own directory: NEXT_PUBLIC_WORKOS_REDIRECT_URI is inlined at build time and
  // its app port differs from the demo's.
  ...(process.env.NEXT_DIST_DIR ? { distDir: process.env.NEXT_DIST_DIR } : {}),
};

export default nextConfig;
