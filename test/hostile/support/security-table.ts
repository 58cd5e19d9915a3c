/**
 * Regenerates the case table of docs/security.md from a real run of the hostile-input and fault suites:
 * `npx tsx test/hostile/support/security-table.ts`. The table lists every test with its result, grouped by file,
 * between the `<!-- cases:start -->` and `<!-- cases:end -->` markers.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

interface JsonReport {
  testResults: Array<{
    name: string;
    assertionResults: Array<{ ancestorTitles: string[]; title: string; status: string }>;
  }>;
}

const ROOT = process.cwd();
const DOC = join(ROOT, 'docs/security.md');
const OUT = join(ROOT, '.tmp/security-cases.json');
const FILES = ['test/hostile', 'test/faults'];

function summary(file: string): string {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const doc = /\/\*\*([\s\S]*?)\*\//.exec(text)?.[1] ?? '';
  const flat = doc
    .replace(/^\s*\* ?/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
  return (/^(.*?[.:])\s/.exec(`${flat} `)?.[1] ?? flat).replace(/\|/g, '\\|');
}

const run = spawnSync(
  process.execPath,
  [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', ...FILES, '--reporter=json', `--outputFile=${OUT}`],
  { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
);
const report = JSON.parse(readFileSync(OUT, 'utf8')) as JsonReport;
const files = report.testResults
  .map((f) => ({ ...f, name: relative(ROOT, f.name) }))
  .sort((a, b) => a.name.localeCompare(b.name));
const total = files.reduce((n, f) => n + f.assertionResults.length, 0);
const passed = files.reduce((n, f) => n + f.assertionResults.filter((a) => a.status === 'passed').length, 0);
const mark = (status: string) => (status === 'passed' ? 'pass' : `**${status.toUpperCase()}**`);

const lines = [
  `${total} cases in ${files.length} files; ${passed} pass, ${total - passed} do not (generated ${new Date().toISOString().slice(0, 10)} by \`npx tsx test/hostile/support/security-table.ts\`).`,
  '',
];
for (const f of files) {
  lines.push(
    `#### \`${f.name}\` — ${f.assertionResults.length} cases`,
    '',
    summary(f.name),
    '',
    '| case | result |',
    '| --- | --- |',
  );
  for (const a of f.assertionResults)
    lines.push(
      `| ${[...a.ancestorTitles, a.title].join(' › ').replace(/\|/g, '\\|').replace(/\n/g, '\\n')} | ${mark(a.status)} |`,
    );
  lines.push('');
}
const doc = readFileSync(DOC, 'utf8');
const start = doc.indexOf('<!-- cases:start -->');
const end = doc.indexOf('<!-- cases:end -->');
if (start === -1 || end === -1) throw new Error('docs/security.md has no cases markers');
writeFileSync(DOC, `${doc.slice(0, start)}<!-- cases:start -->\n${lines.join('\n')}\n${doc.slice(end)}`);
console.log(`${total} cases, ${passed} pass; vitest exit code ${run.status}`);
