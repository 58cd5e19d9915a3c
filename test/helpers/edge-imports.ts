import { build, type Metafile } from 'esbuild';

/** Imports that must never reach code running on the Edge runtime. */
const NODE_ONLY = /^(node:|redis$|ioredis$|@redis\/|server-only$|next\/headers$)/;

/**
 * Follows every first-party import from `entry` (third-party packages are not followed) and lists the
 * Node-only specifiers and `*-node.ts` modules it reaches. Empty means the entry is Edge-safe.
 */
export async function nodeOnlyReach(entry: string): Promise<string[]> {
  const found = new Set<string>();
  for (const [file, input] of Object.entries(await firstPartyReach(entry))) {
    if (/-node\.ts$/.test(file)) found.add(file);
    for (const imp of input.imports) if (imp.external && NODE_ONLY.test(imp.path)) found.add(`${file} → ${imp.path}`);
  }
  return [...found].sort();
}

/** The files `entry` reaches by first-party imports (keyed by path from the repository root), with their imports. */
export async function firstPartyReach(entry: string): Promise<Metafile['inputs']> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'neutral',
    packages: 'external',
    logLevel: 'silent',
    format: 'esm',
  });
  return result.metafile.inputs;
}
