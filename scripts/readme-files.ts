/**
 * A README's code as files: every `ts`/`tsx` block carries `title="<path>"` and is a complete file. Read in
 * order, the blocks describe successive states of one app; a block whose path is already taken starts a new
 * state (e.g. `proxy.ts` before and after a migration). The snippet test typechecks every state against the
 * built package; the package test builds an app from the quick start's files verbatim.
 */

/** One code block: the file it is, its text, and the `##` section it stands in. */
export interface ReadmeFile {
  readonly path: string;
  readonly text: string;
  readonly section: string;
  /** 1-based line of the opening fence, for messages. */
  readonly line: number;
}

const FENCE = /^```(ts|tsx)(?:\s+title="([^"]+)")?\s*$/;

/**
 * Every `ts`/`tsx` block of `markdown`.
 * @throws Error for a block without a title: each one must be a complete file someone can copy.
 */
export function readmeFiles(markdown: string): ReadmeFile[] {
  const lines = markdown.split('\n');
  const out: ReadmeFile[] = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('## ')) section = line.slice(3).trim();
    const open = FENCE.exec(line);
    if (!open) continue;
    const close = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    if (close === -1) throw new Error(`README line ${i + 1}: unclosed code block.`);
    if (!open[2])
      throw new Error(
        `README line ${i + 1}: a ${open[1]} block without title="<file path>"; every block must be a complete file.`,
      );
    out.push({ path: open[2], text: `${lines.slice(i + 1, close).join('\n')}\n`, section, line: i + 1 });
    i = close;
  }
  return out;
}

/** The blocks grouped into app states: a new state begins where a block's path is already taken. */
export function readmeStates(files: readonly ReadmeFile[]): ReadmeFile[][] {
  const states: ReadmeFile[][] = [];
  let current = new Map<string, ReadmeFile>();
  for (const file of files) {
    if (current.has(file.path)) {
      states.push([...current.values()]);
      current = new Map(current);
    }
    current.set(file.path, file);
  }
  states.push([...current.values()]);
  return states;
}
