/** A minimal Next.js App Router app on disk, laid out as `create-next-app` (TypeScript, App Router) makes it. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The tsconfig.json `create-next-app` writes for Next 16 (with its `@/*` alias). */
export const NEXT_APP_TSCONFIG = {
  compilerOptions: {
    target: 'ES2017',
    lib: ['dom', 'dom.iterable', 'esnext'],
    allowJs: true,
    skipLibCheck: true,
    strict: true,
    noEmit: true,
    esModuleInterop: true,
    module: 'esnext',
    moduleResolution: 'bundler',
    resolveJsonModule: true,
    isolatedModules: true,
    jsx: 'react-jsx',
    incremental: false,
    plugins: [{ name: 'next' }],
    paths: { '@/*': ['./*'] },
  },
  include: ['next-env.d.ts', '**/*.ts', '**/*.tsx', '.next/types/**/*.ts'],
  exclude: ['node_modules'],
};

const BASE_FILES: Readonly<Record<string, string>> = {
  'tsconfig.json': `${JSON.stringify(NEXT_APP_TSCONFIG, null, 2)}\n`,
  'next-env.d.ts': '/// <reference types="next" />\n/// <reference types="next/image-types/global" />\n',
  'app/layout.tsx':
    'export default function RootLayout({ children }: { children: React.ReactNode }) {\n  return (\n    <html lang="en">\n      <body>{children}</body>\n    </html>\n  );\n}\n',
  'app/page.tsx': 'export default function Home() {\n  return <h1>Fresh app</h1>;\n}\n',
};

/** Writes the base app plus `files` (path → text) into `dir`. */
export function writeNextApp(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [path, text] of Object.entries({ ...BASE_FILES, ...files })) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}
