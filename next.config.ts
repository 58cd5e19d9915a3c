import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // The demo and its tests run on loopback; no telemetry, no remote images.
  poweredByHeader: false,
};

export default nextConfig;
