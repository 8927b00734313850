import { defineConfig } from "vitest/config";

// Browser tests: the real stack (API + explorer) in child processes, driven through Debian's
// Chromium by playwright-core. Run with `npm run test:e2e` (scripts/e2e.sh installs Chromium first).
export default defineConfig({
  test: {
    name: "e2e",
    root: new URL("..", import.meta.url).pathname,
    include: ["e2e/**/*.e2e.test.ts"],
    // One stack and one browser per file; the first start may build the explorer.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 600_000,
    pool: "forks",
  },
});
