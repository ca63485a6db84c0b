import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');

/** The README and every page of docs/ (the ADRs hold no code). */
const DOCS = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/**
 * Every TypeScript snippet in the README and docs/ compiles against the library's sources: each becomes the body of a
 * Stack's constructor (its imports hoisted), after a prelude that imports the library and declares the resources
 * snippets refer to (a queue, a table, a stream, a bucket, an SNS topic for paging, a load balancer listener).
 */
function writeSnippets(doc: string, dir: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, doc), 'utf8');
  const snippets = [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  return snippets.map((snippet, i) => {
    const lines = snippet.split('\n');
    const imports = lines.filter((l) => l.startsWith('import '))
      .filter((l) => !l.includes("from 'cdk-lambda-kit'") && l !== "import * as path from 'path';")
      .map((l) => l.replace("from 'cdk-lambda-kit/lib/testing'", `from ${JSON.stringify(path.join(ROOT, 'src', 'testing'))}`));
    const body = lines.filter((l) => !l.startsWith('import ')).join('\n');
    const file = path.join(dir, `${doc.replace(/\W/g, '_')}_${i}.ts`);
    fs.writeFileSync(file, [
      "import * as path from 'path';",
      "import { App, Duration, Size, Stack, Stage, TimeZone } from 'aws-cdk-lib';",
      "import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';",
      "import { Template } from 'aws-cdk-lib/assertions';",
      "import * as ec2 from 'aws-cdk-lib/aws-ec2';",
      "import * as rds from 'aws-cdk-lib/aws-rds';",
      "import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';",
      "import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';",
      "import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';",
      "import * as kinesis from 'aws-cdk-lib/aws-kinesis';",
      "import * as lambda from 'aws-cdk-lib/aws-lambda';",
      "import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';",
      "import * as s3 from 'aws-cdk-lib/aws-s3';",
      "import * as sns from 'aws-cdk-lib/aws-sns';",
      "import * as sqs from 'aws-cdk-lib/aws-sqs';",
      `import { Deployment, DependencyLayer, DynamoStreamSource, EventBridgeSource, KinesisStreamSource, LoadBalancerTarget, OutputFormat, PowertoolsLogLevel, ProvisionedConcurrency, S3Source, ScheduleSource, ServerlessFunction, SnsSource, SqsSource, WorkerQueue } from ${JSON.stringify(path.join(ROOT, 'src'))};`,
      ...imports.filter((l) => !/from 'aws-cdk-lib(\/(assertions|aws-(applicationautoscaling|cloudwatch-actions|dynamodb|ec2|elasticloadbalancingv2|kinesis|lambda|lambda-event-sources|rds|s3|sns|sqs)))?'/.test(l)),
      'declare const queue: sqs.Queue;',
      'declare const table: dynamodb.Table;',
      'declare const stream: kinesis.Stream;',
      'declare const bucket: s3.Bucket;',
      'declare const oncall: sns.Topic;',
      'declare const fn: ServerlessFunction;',
      'declare const database: rds.DatabaseInstance;',
      'declare const listener: elbv2.ApplicationListener;',
      `export class Snippet${i} extends Stack {`,
      '  constructor() {',
      '    super(new App(), "Snippet");',
      body,
      '  }',
      '}',
      // Names the prelude offers that a snippet may leave unused.
      'export const used = [path, Stage, Duration, Size, TimeZone, elbv2, Template, ec2, appscaling, actions, lambda, SqsEventSource, Deployment, DependencyLayer, DynamoStreamSource, KinesisStreamSource, OutputFormat, PowertoolsLogLevel, ProvisionedConcurrency, S3Source, SqsSource, WorkerQueue, EventBridgeSource, LoadBalancerTarget, ScheduleSource, SnsSource];',
      '',
    ].join('\n'));
    return file;
  });
}

/** Problems of each doc's snippets, from one TypeScript program over all of them (one program: ~20 s, not 20 s a doc). */
let problems: Map<string, string[]>;
beforeAll(() => {
  const dir = fs.mkdtempSync(path.join(ROOT, 'test', '.snippets-'));
  try {
    const byDoc = new Map(DOCS.map((doc) => [doc, writeSnippets(doc, dir)]));
    const files = [...byDoc.values()].flat();
    const program = ts.createProgram(files, {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      esModuleInterop: true,
      skipLibCheck: true,
      types: ['node', 'jest'],
      typeRoots: [path.join(ROOT, 'node_modules', '@types')],
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file && files.includes(path.normalize(d.file.fileName)));
    problems = new Map([...byDoc].map(([doc, docFiles]) => [doc, diagnostics
      .filter((d) => docFiles.includes(path.normalize(d.file!.fileName)))
      .map((d) => {
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        return `${path.basename(d.file!.fileName)}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      })]));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

test.each(DOCS)('%s: its TypeScript snippets compile', (doc) => {
  expect(problems.get(doc)).toEqual([]);
});

test('the README and docs/ hold TypeScript examples', () => {
  const count = DOCS.map((doc) => [...fs.readFileSync(path.join(ROOT, doc), 'utf8').matchAll(/```ts\n/g)].length);
  expect(count.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(12);
  expect(count[0]).toBeGreaterThanOrEqual(1);
});

/** A relative link in the README, docs/, CONTRIBUTING.md or SECURITY.md names a file or folder that exists. */
test.each([...DOCS, 'CONTRIBUTING.md', 'SECURITY.md'])('%s: its relative links resolve', (doc) => {
  const text = fs.readFileSync(path.join(ROOT, doc), 'utf8');
  const targets = [...text.matchAll(/\]\((\.{1,2}\/[^)#\s]*)(#[^)]*)?\)/g)].map((m) => m[1]);
  const missing = targets.filter((t) => !fs.existsSync(path.join(ROOT, path.dirname(doc), t)));
  expect(missing).toEqual([]);
});

test('the README stays at most 300 lines', () => {
  expect(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').split('\n').length).toBeLessThanOrEqual(300);
});
