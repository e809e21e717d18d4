// Prints CI's closing line, "ci: N passed, N failed", from the reports of every runner in .ci/run:
// jest's --json files and schemathesis's JUnit XML (one test case per API operation).
import { readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, 'utf8');
  if (file.endsWith('.json')) {
    const jest = JSON.parse(text);
    passed += jest.numPassedTests;
    failed += jest.numFailedTests + jest.numRuntimeErrorTestSuites;
  } else {
    const cases = text.match(/<testcase\b[\s\S]*?(?:\/>|<\/testcase>)/g) ?? [];
    const broken = cases.filter((testCase) => /<(failure|error)\b/.test(testCase)).length;
    passed += cases.length - broken;
    failed += broken;
  }
}
console.log(`ci: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
