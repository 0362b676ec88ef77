// The seeds' runtime doing Mayfly's empty task: one Node worker thread per task, as the original
// worker pattern does. Prints one JSON line: how long a new Worker takes to run its first line, and
// how many empty tasks a second it runs with `parallel` at once.
//   node worker-threads.js [ROUNDS] [TASKS] [PARALLEL]
'use strict';
const { Worker } = require('worker_threads');

const rounds = Number(process.argv[2] || 30);
const tasks = Number(process.argv[3] || 200);
const parallel = Number(process.argv[4] || 4);
// The task: say when it started, then end (the empty task Mayfly's benchmarks run).
const code = "require('worker_threads').parentPort.postMessage(Number(process.hrtime.bigint()))";

function runOne() {
  return new Promise((resolve, reject) => {
    const submitted = process.hrtime.bigint();
    let startedNs = null;
    const worker = new Worker(code, { eval: true });
    worker.once('message', (ns) => { startedNs = ns; });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0 || startedNs === null) {
        reject(new Error('worker exited with ' + code));
        return;
      }
      resolve({ startMs: (startedNs - Number(submitted)) / 1e6, totalMs: Number(process.hrtime.bigint() - submitted) / 1e6 });
    });
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function main() {
  for (let i = 0; i < 3; i++) {
    await runOne();
  }
  const starts = [];
  const totals = [];
  for (let i = 0; i < rounds; i++) {
    const one = await runOne();
    starts.push(one.startMs);
    totals.push(one.totalMs);
  }
  let next = 0;
  const begin = process.hrtime.bigint();
  async function lane() {
    while (next < tasks) {
      next++;
      await runOne();
    }
  }
  await Promise.all(Array.from({ length: parallel }, lane));
  const seconds = Number(process.hrtime.bigint() - begin) / 1e9;
  console.log(JSON.stringify({ node: process.version, rounds, medianStartMs: median(starts),
    medianTotalMs: median(totals), tasks, parallel, tasksPerSecond: tasks / seconds }));
}

main().catch((error) => { console.error(error); process.exit(1); });
