#!/usr/bin/env node
// Checks the cloud assembly of a binding app (bindings/run.sh): the template of the stack `BindingOrders` (a
// ServerlessFunction behind its alias, an SQS event source mapping on the alias with partial batch responses, a
// dependency layer attached) and the staged assets (the bundle with the hook's file, the `define` applied and the
// layer's package left out; the layer with the package installed). With `--cached`, the synth's summary line (on
// stdin) must say the bundle and the layer came from the cache.
//   node check-synth.mjs <cdk.out> [--cached] < synth-stderr
import * as fs from 'node:fs';
import * as path from 'node:path';

const [outdir, mode] = process.argv.slice(2);
const fail = (message) => { console.error(`check-synth: ${message}`); process.exit(1); };
const template = JSON.parse(fs.readFileSync(path.join(outdir, 'BindingOrders.template.json'), 'utf8'));
const resources = Object.entries(template.Resources);
const ofType = (type) => resources.filter(([, r]) => r.Type === type);

const functions = ofType('AWS::Lambda::Function');
if (functions.length !== 1) fail(`expected 1 function, got ${functions.length}`);
const [fnId, fn] = functions[0];
if (fn.Properties.Runtime !== 'nodejs24.x' || fn.Properties.Handler !== 'index.handler') {
  fail(`function ${fnId}: runtime ${fn.Properties.Runtime}, handler ${fn.Properties.Handler}`);
}
if (fn.Properties.Architectures?.[0] !== 'arm64') fail(`function ${fnId} is not arm64`);
const aliases = ofType('AWS::Lambda::Alias');
if (aliases.length !== 1 || aliases[0][1].Properties.Name !== 'live') fail('no `live` alias');
const mappings = ofType('AWS::Lambda::EventSourceMapping');
if (mappings.length !== 1) fail(`expected 1 event source mapping, got ${mappings.length}`);
const mapping = mappings[0][1].Properties;
// The alias' ARN, or its function name qualified with `:live`, built from the alias' Ref.
if (!JSON.stringify(mapping.FunctionName).includes(`{"Ref":"${aliases[0][0]}"}`)) fail(`the mapping invokes ${JSON.stringify(mapping.FunctionName)}, not the alias`);
if (!mapping.FunctionResponseTypes?.includes('ReportBatchItemFailures')) fail('the mapping has no partial batch responses');
const layers = ofType('AWS::Lambda::LayerVersion');
if (layers.length !== 1) fail(`expected 1 layer, got ${layers.length}`);
if (JSON.stringify(fn.Properties.Layers) !== JSON.stringify([{ Ref: layers[0][0] }])) fail('the function does not use the layer');

// The staged assets, by the asset paths the template's metadata names.
const assetOf = (resource) => path.join(outdir, resource.Metadata['aws:asset:path']);
const bundle = assetOf(fn);
const code = fs.readFileSync(path.join(bundle, 'index.mjs'), 'utf8');
if (!code.includes('"prod"')) fail('`define` was not applied to the bundle');
if (!/from\s*"ms"|import\("ms"\)|require\("ms"\)/.test(code)) fail('the bundle does not leave `ms` (the layer provides it) external');
if (code.includes('Math.abs(ms)') || code.length > 20_000) fail('the bundle holds the layer\'s package');
if (fs.readFileSync(path.join(bundle, 'VERSION'), 'utf8').trim() !== '1.2.3') fail('the command hook did not write VERSION into the bundle');
const layerDir = assetOf(layers[0][1]);
if (!fs.existsSync(path.join(layerDir, 'nodejs', 'node_modules', 'ms', 'package.json'))) fail('the layer does not hold ms');

if (mode === '--cached') {
  const summary = fs.readFileSync(0, 'utf8').split('\n').find((l) => l.startsWith('cdk-lambda-kit: ')) ?? fail('no cdk-lambda-kit summary line on stderr');
  if (!/\(0 built, 1 from cache\)/.test(summary) || !/\(0 installed, 1 from cache\)/.test(summary)) fail(`not restored from the cache: ${summary}`);
  console.log(`check-synth: restored from the cache: ${summary}`);
}
console.log(`check-synth: ${outdir}: template and assets as expected (bundle ${path.basename(bundle)}, layer ${path.basename(layerDir)})`);
