// The bundler prints one summary line per synth. Keep test output readable: swallow those lines only.
const write = process.stderr.write.bind(process.stderr);
process.stderr.write = ((chunk: any, ...rest: any[]) => {
  if (typeof chunk === 'string' && chunk.startsWith('cdk-lambda-kit: ')) {
    return true;
  }
  return (write as any)(chunk, ...rest);
}) as typeof process.stderr.write;

// `test:unit` (.projenrc.ts) sets LAMBDA_KIT_TEST_TASK=unit. There, aws-cdk-lib's CloudFormation-schema validation of
// every synth (about 3 s of CPU a suite, most of a small suite's time) is off (CDK_VALIDATION=false), except in the
// suites that test what the library makes of the validator's findings: its errors (src/core/template-rules.ts) and
// the findings it acknowledges. `npm test` and `test:integration` validate every synth.
const KEEP_VALIDATION = [
  '/test/core/template-rules.test.ts',
  '/test/event-sources/synth-checks-matrix.test.ts',
  '/test/event-sources/sns.test.ts',
  '/test/hostile-review.test.ts', // bad configurations only the validator's findings refuse
  '/test/independent-review.test.ts', // function URL CORS limits, refused through the validator's findings
];
const suite = (expect.getState().testPath ?? '').split('\\').join('/');
if (process.env.LAMBDA_KIT_TEST_TASK === 'unit' && !KEEP_VALIDATION.some((s) => suite.endsWith(s))) {
  process.env.CDK_VALIDATION = 'false';
}
