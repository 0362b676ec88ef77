// An agent that behaves like the long-running command-line agents Mayfly's users run (Claude Code,
// Codex, aider): it works through numbered steps, keeps its session in a file in its working
// folder, holds more memory with every step and never frees it (as in-memory message arrays do),
// runs a child command for some steps, saves its session on SIGINT or SIGTERM, and with --continue carries on
// from its session.
//
//   node -e <this> STEPS MB_PER_STEP CHILD_EVERY [THINK_MS] [--busy] [--continue]
//
// CHILD_EVERY: every so many steps, the step first runs a child command (300 ms); THINK_MS: after
// each step it is quiet for so long, as an agent waiting for its model is (asynchronously: a signal
// is heard then); --busy: a child process runs for the whole run, so the agent is never at a safe
// point (a GC pause between two steps' children could look like one).
//
// Files in the working folder: session.json (steps done, running sum), trail.txt (one line per
// event: "start", "continue N <first words of its prompt>", "step N", "child N begin", "child N end", "saved N", "done").
// Standard output: "step N" per step, then "result SUM" at the end: the same for any number of
// restarts, so a resumed run can be compared with an uninterrupted one.
const fs = require('fs');
const { spawn } = require('child_process');

// The numbers among the arguments (run as node -e TEXT … or as node FILE …).
const [steps, mbPerStep, childEvery, thinkMs = 0] = process.argv.filter((arg) => /^[0-9]+$/.test(arg)).map(Number);
const resuming = process.argv.includes('--continue');
const trail = (line) => fs.appendFileSync('trail.txt', line + '\n');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const child = () => new Promise((resolve) => {
  spawn(process.execPath, ['-e', 'setTimeout(() => {}, 300)'], { stdio: 'ignore' }).on('exit', resolve);
});

let session = { done: 0, sum: 0 };
if (resuming && fs.existsSync('session.json')) {
  session = JSON.parse(fs.readFileSync('session.json', 'utf8'));
  // What it was told on restarting: the first words of its prompt.
  trail('continue ' + session.done + ' ' + (process.env.MAYFLY_PROMPT || '').split(' ').slice(0, 3).join(' '));
} else {
  trail('start');
}
const save = () => {
  fs.writeFileSync('session.json.new', JSON.stringify(session));
  fs.renameSync('session.json.new', 'session.json');
};
// Like the tools it stands for, it works asynchronously, so that a signal is heard between its awaits.
const busy = process.argv.includes('--busy')
  ? spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }) : null;
const exit = (code) => {
  if (busy) {
    busy.kill('SIGKILL');
  }
  process.exit(code);
};
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
  process.on(signal, () => {
    save();
    trail('saved ' + session.done);
    exit(code);
  });
}

const kept = [];
(async () => {
  for (let step = session.done + 1; step <= steps; step++) {
    if (childEvery > 0 && step % childEvery === 0) {
      trail('child ' + step + ' begin');
      await child();
      trail('child ' + step + ' end');
    }
    // About a megabyte of the JS heap per MB_PER_STEP: an array of small integers, kept for good.
    for (let i = 0; i < mbPerStep; i++) {
      kept.push(Array.from({ length: 131072 }, (_, j) => j + step));
    }
    session.done = step;
    session.sum += step * step;
    save();
    trail('step ' + step);
    console.log('step ' + step);
    if (thinkMs > 0) {
      await sleep(thinkMs);
    }
  }
  trail('done');
  console.log('result ' + session.sum);
  exit(0);
})();
