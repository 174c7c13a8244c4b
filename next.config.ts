import type { NextConfig } from 'next';
import { securityHeaderRules } from './lib/security-headers';

const ENGINE_FILES = [
  './models/faceplugin-1.0.3/{fr_detect,fr_landmark,fr_feature}.onnx',
  './node_modules/onnxruntime-node/bin/napi-v6/linux/**',
  // FACE_EMBEDDER=fused|mobileface|faceres (legacy tfjs embedders) only; tfjs is imported only then.
  './models/human-models-3.0.4/{mobileface,faceres}.*',
  './node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm',
];

// Never copied into .next/standalone, whatever a trace finds: user data (photos, unknown-face crops, the
// journal, backups), held-out evaluation sets, and repo-only code. test/build-output.e2e.test.ts checks it.
const NEVER_SHIPPED = [
  './data/**',
  './.holdout*/**',
  './.scratch/**',
  './test/**',
  './bench/**',
  './docs/**',
  './{app,components,db,lib,workers,scripts}/**/*.test.{ts,tsx}',
];

const nextConfig: NextConfig = {
  // Standalone output keeps the Docker runner image small (see Dockerfile).
  output: 'standalone',
  // Native or WASM-heavy packages must be required at runtime, not bundled.
  serverExternalPackages: [
    'sharp',
    'mysql2',
    'pino',
    'pino-pretty',
    '@tensorflow/tfjs-core',
    '@tensorflow/tfjs-converter',
    '@tensorflow/tfjs-backend-wasm',
    'onnxruntime-node',
    '@techstark/opencv-js',
  ],
  poweredByHeader: false,
  // CSP, nosniff, Referrer-Policy, X-Frame-Options on every page and API response; HSTS behind https.
  headers: async () => securityHeaderRules(process.env.NODE_ENV !== 'production'),
  // The e2e tests build into their own folder so they never clobber a developer's .next.
  ...(process.env.NEXT_DIST_DIR ? { distDir: process.env.NEXT_DIST_DIR } : {}),
  // forbidden() renders app/forbidden.tsx with a 403 for a wrong role.
  experimental: { authInterrupts: true },
  // The face models, ONNX Runtime's native library and the WASM backend are read from disk at runtime, which tracing cannot see.
  outputFileTracingIncludes: {
    // Both routes enrol photos with the web process's engine.
    '/api/students/*/photos': ENGINE_FILES,
    '/api/students/import': ENGINE_FILES,
    // A student's full privacy notice is the repository's PRIVACY.md, read at request time.
    '/me/privacy': ['./PRIVACY.md'],
  },
  outputFileTracingExcludes: { '/**': NEVER_SHIPPED },
};

export default nextConfig;
