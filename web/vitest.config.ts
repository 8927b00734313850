import { defineConfig } from "vitest/config";

// Unit tests of the explorer's pure logic (graph merging, impact sets, collapsing). Browser tests
// live in e2e/.
export default defineConfig({
  test: {
    name: "web",
    root: new URL("..", import.meta.url).pathname,
    include: ["web/**/*.test.ts"],
    exclude: ["web/.next/**"],
  },
});
