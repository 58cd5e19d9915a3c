/**
 * The library's public API, one API Extractor report per subpath in `lib/api/` (committed), so any change to
 * the public surface shows in review. `npm run api:report` checks the built declarations against the
 * committed reports (part of `npm test`); `npm run api:report -- --update` rewrites them.
 * API Extractor analyses one entry point at a time, so it runs once per `exports` entry of lib/package.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig, ExtractorLogLevel } from '@microsoft/api-extractor';

const LIB = fileURLToPath(new URL('../lib/', import.meta.url));
const update = process.argv.includes('--update');

interface ExportEntry {
  readonly types: string;
}
const pkg = JSON.parse(readFileSync(join(LIB, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, ExportEntry | string>;
};

/** `./step-up` → `step-up`, `.` → `index`: the report's file name. */
function reportName(subpath: string): string {
  return subpath === '.' ? 'index' : subpath.slice(2).replaceAll('/', '-');
}

let failed = 0;
let names = 0;
for (const [subpath, target] of Object.entries(pkg.exports)) {
  if (typeof target === 'string') continue; // ./package.json
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: LIB,
      mainEntryPointFilePath: join(LIB, target.types),
      compiler: { tsconfigFilePath: join(LIB, 'tsconfig.json') },
      // Types a signature uses but no user needs to name stay unexported; the report still shows their shape.
      apiReport: {
        enabled: true,
        reportFileName: reportName(subpath),
        reportFolder: join(LIB, 'api'),
        reportTempFolder: join(LIB, '..', '.tmp', 'api'),
        includeForgottenExports: true,
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Warning } },
        extractorMessageReporting: {
          default: { logLevel: ExtractorLogLevel.Warning, addToApiReportFile: true },
          'ae-missing-release-tag': { logLevel: ExtractorLogLevel.None },
          'ae-forgotten-export': { logLevel: ExtractorLogLevel.None, addToApiReportFile: false },
          // Each subpath is analysed alone, so a {@link} to a name another subpath exports cannot resolve here.
          'ae-unresolved-link': { logLevel: ExtractorLogLevel.None, addToApiReportFile: false },
          // Undocumented members show inline as `// (undocumented)`; the summary would name hashed dist chunks.
          'ae-undocumented': { logLevel: ExtractorLogLevel.None, addToApiReportFile: false },
        },
        tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
      },
    },
    configObjectFullPath: join(LIB, 'api-extractor.json'),
    packageJsonFullPath: join(LIB, 'package.json'),
  });
  const result = Extractor.invoke(config, {
    localBuild: update,
    showVerboseMessages: false,
    messageCallback: (m) => {
      if (m.logLevel === ExtractorLogLevel.Warning && m.category !== 'Extractor') console.warn(m.text);
      m.handled = true;
    },
  });
  const report = readFileSync(join(LIB, 'api', `${reportName(subpath)}.api.md`), 'utf8');
  const exported = [
    ...report.matchAll(
      /^(\/\/ \(undocumented\)\n)?(?:\/\/ @public\n)?export (?:declare )?(?:abstract )?(?:function|const|class|interface|type|enum|namespace) (\w+)/gm,
    ),
  ];
  names += new Set(exported.map((m) => m[2])).size;
  for (const m of exported.filter((m) => m[1])) {
    failed++;
    console.error(`api-report: ${m[2]} (${subpath}) has no TSDoc comment.`);
  }
  if (/\/\/ Warning: /.test(report)) {
    failed++;
    console.error(
      `api-report: lib/api/${reportName(subpath)}.api.md lists warnings (unresolved links or the like); fix them.`,
    );
  }
  if (result.apiReportChanged && !update) {
    failed++;
    console.error(
      `api-report: ${pkg.name}${subpath === '.' ? '' : subpath.slice(1)} differs from lib/api/${reportName(subpath)}.api.md. Review the change, then run \`npm run api:report -- --update\`.`,
    );
  }
}
console.log(
  `api-report: ${Object.keys(pkg.exports).length - 1} subpaths, ${names} exported names${update ? ' (reports updated)' : ''}.`,
);
if (failed > 0) process.exit(1);
