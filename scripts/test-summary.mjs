// Prints vitest's JSON report as one closing line: "N passed, M failed, K skipped".
import fs from 'node:fs';
const file = process.argv[2] ?? 'tmp/vitest-report.json';
const r = JSON.parse(fs.readFileSync(file, 'utf8'));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
process.exit(r.numFailedTests > 0 || r.numTotalTests === 0 ? 1 : 0);
