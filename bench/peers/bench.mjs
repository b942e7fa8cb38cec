// The peer a Node user would use: onnxruntime-node on the same models, settings and method as Orbit.Onnx's harness.
// Usage: node bench.mjs spec.json  → prints {"medians":[µs per run...], "version", "node", "library"} on stdout.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import ort from 'onnxruntime-node';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const require = createRequire(import.meta.url);
const packageDir = path.dirname(require.resolve('onnxruntime-node/package.json'));
const library = path.join(packageDir, 'bin', 'napi-v6', process.platform, process.arch, 'libonnxruntime.so.1');
const version = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')).version;

function values(count) {
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = ((i % 17) - 8) * 0.125;
  return data;
}

async function median(run) {
  const warmUpNs = BigInt(Math.round(spec.warmupMs * 1e6));
  const start = process.hrtime.bigint();
  let calls = 0;
  while (process.hrtime.bigint() - start < warmUpNs) {
    await run();
    calls++;
  }
  const perSample = Math.max(1, Math.floor(calls * 0.05 / Math.max(spec.warmupMs / 1000, 1e-3)));
  const results = [];
  for (let s = 0; s < spec.samples; s++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < perSample; i++) await run();
    results.push(Number(process.hrtime.bigint() - t0) / 1000 / perSample);
  }
  results.sort((a, b) => a - b);
  return results[Math.floor(spec.samples / 2)];
}

const medians = [];
for (const c of spec.cases) {
  const session = await ort.InferenceSession.create(c.model, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    executionProviders: ['cpu'],
  });
  const feeds = {};
  for (const input of c.inputs) {
    const count = input.shape.reduce((a, b) => a * b, 1);
    feeds[input.name] = new ort.Tensor('float32', values(count), input.shape);
  }
  const m = await median(() => session.run(feeds));
  process.stderr.write(`      peer  ${c.name}: ${m.toFixed(2)} µs\n`);
  medians.push(m);
  await session.release();
}
process.stdout.write(JSON.stringify({ medians, version, node: process.version, library }) + '\n');
