import path from "node:path";
import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

const repoRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");

const nextConfig: NextConfig = {
  // web/ is not its own package: dependencies live in the repository's root node_modules.
  turbopack: { root: repoRoot },
  outputFileTracingRoot: repoRoot,
  poweredByHeader: false,
  reactStrictMode: true,
  // `npm run web:typecheck` (tsc -p web) checks types in the test suite; skipping it here keeps the
  // first `npm start` on a fresh machine shorter.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
