/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f4f4f6; color: #1b1b1f; }
  main { max-width: 26rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 3px #0002; }
  h1 { font-size: 1.4rem; margin-top: 0; }
  label { display: block; font-weight: 600; margin-top: 1rem; }
  input { display: block; width: 100%; box-sizing: border-box; padding: .5rem; margin-top: .25rem; font: inherit; border: 1px solid #767680; border-radius: 4px; }
  button { margin-top: 1.25rem; padding: .6rem 1rem; font: inherit; border-radius: 4px; border: 1px solid #3b3bd1; background: #3b3bd1; color: #fff; cursor: pointer; }
  button.secondary { background: #fff; color: #3b3bd1; }
  :focus-visible { outline: 3px solid #f5a623; outline-offset: 2px; }
  .error { color: #a4001d; font-weight: 600; }
  .note { color: #55555c; font-size: .875rem; }
  code { word-break: break-all; }
`;

/** A complete page: one `<main>` landmark, the title repeated as the `<h1>`. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · WorkOS emulator</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
<p class="note">Local WorkOS emulator, not the real AuthKit.</p>
</main>
</body>
</html>
`;
}

/** An error paragraph announced by screen readers, or nothing. */
export function errorBlock(error: string | null): string {
  return error === null ? '' : `<p class="error" role="alert" id="form-error">${escapeHtml(error)}</p>`;
}

/** Hidden inputs repeating `params`. */
export function hiddenFields(params: URLSearchParams): string {
  return [...params]
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
}
