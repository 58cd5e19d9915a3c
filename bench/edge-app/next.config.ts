import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // The root `npm run typecheck` covers these sources with the project's strict settings; skipping Next's own
  // pass keeps `npm run bench` well inside its time budget.
  typescript: { ignoreBuildErrors: true },
  // BENCH_UNMINIFIED=1 keeps function names in server bundles so CPU profiles (BENCH_APP_NODE_OPTIONS) read.
  experimental: { serverMinification: process.env.BENCH_UNMINIFIED !== '1' },
};

export default nextConfig;
