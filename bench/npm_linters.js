// Lints every file named in a list with one npm linter, in this one node
// process, and prints the median and best wall time of several rounds (file
// reading excluded, as for dflint's in-process figure). Used by bench/run.sh.
//   node npm_linters.js <node_modules dir> <dockerfile-utils|dockerfilelint> <list> <rounds>
'use strict';
const fs = require('fs');
const path = require('path');
const [modules, which, list, roundsArg] = process.argv.slice(2);
const rounds = parseInt(roundsArg || '5', 10);
const files = fs.readFileSync(list, 'utf8').split('\n').filter(Boolean);
const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
let lint;
if (which === 'dockerfile-utils') {
  const u = require(path.join(modules, 'dockerfile-utils'));
  lint = (t) => u.validate(t);
} else {
  const l = require(path.join(modules, 'dockerfilelint'));
  // run() reads an optional .dockerfilelintrc from configPath: give it an
  // empty scratch directory so every file gets the default rules.
  const cfg = fs.mkdtempSync(path.join(require('os').tmpdir(), 'dfl-bench-'));
  lint = (t) => l.run(cfg, t);
}
const times = [];
let findings = 0;
let errors = 0;
for (let r = 0; r < rounds; r++) {
  findings = 0;
  errors = 0;
  const s = process.hrtime.bigint();
  for (const t of texts) {
    try {
      const res = lint(t);
      findings += Array.isArray(res) ? res.length : 0;
    } catch (e) {
      // A linter that throws on a file still took the time; count it.
      errors++;
    }
  }
  times.push(Number(process.hrtime.bigint() - s) / 1e9);
}
times.sort((a, b) => a - b);
console.log(JSON.stringify({ linter: which, files: texts.length, findings, errors,
  median: times[Math.floor(times.length / 2)], best: times[0] }));
