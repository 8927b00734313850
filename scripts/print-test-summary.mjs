// Prints vitest's totals as one plain line, "N passed, N failed, N skipped", for CI log readers.
import { readFileSync } from "node:fs";

const file = process.argv[2] ?? ".vitest-results.json";
try {
  const results = JSON.parse(readFileSync(file, "utf8"));
  const skipped = results.numPendingTests + results.numTodoTests;
  console.log(`${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped`);
  if (results.numTotalTests === 0) {
    console.error("No test ran.");
    process.exit(1);
  }
} catch (error) {
  console.error(`Could not read test results from ${file}: ${error.message}`);
  process.exit(1);
}
