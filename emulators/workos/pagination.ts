import { invalidField } from './api-error';

/** A page of a WorkOS list: `{ object: 'list', data, list_metadata: { before, after } }`. */
export interface ListPage<T> {
  data: T[];
  before: string | null;
  after: string | null;
}

/**
 * Applies WorkOS list parameters (`order` — default `desc` —, `limit` 1-100 default 10, and the
 * `before`/`after` id cursors) to `items`.
 * @throws {WorkosApiError} 422 for a bad `limit` or `order`.
 */
export function paginate<T extends { id: string; createdAt: number }>(
  items: readonly T[],
  query: URLSearchParams,
): ListPage<T> {
  const order = query.get('order') ?? 'desc';
  if (order !== 'asc' && order !== 'desc' && order !== 'normal')
    throw invalidField('order', 'order_invalid', 'order must be "asc" or "desc".');
  const limitRaw = query.get('limit') ?? '10';
  const limit = Number(limitRaw);
  if (!/^\d+$/.test(limitRaw) || limit < 1 || limit > 100)
    throw invalidField('limit', 'limit_invalid', 'limit must be an integer from 1 to 100.');
  const sorted = [...items].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  if (order === 'desc') sorted.reverse();
  let start = 0;
  let end = sorted.length;
  const after = query.get('after');
  const before = query.get('before');
  if (after) start = sorted.findIndex((item) => item.id === after) + 1;
  if (before) {
    const index = sorted.findIndex((item) => item.id === before);
    end = index === -1 ? sorted.length : index;
    if (!after) start = Math.max(0, end - limit);
  }
  const data = sorted.slice(start, end).slice(0, limit);
  const first = data[0];
  const last = data[data.length - 1];
  return {
    data,
    before: first !== undefined && sorted.indexOf(first) > 0 ? first.id : null,
    after: last !== undefined && sorted.indexOf(last) < sorted.length - 1 ? last.id : null,
  };
}

/** The wire form of a page. */
export function wireList<T>(page: ListPage<T>, serialize: (item: T) => unknown): Record<string, unknown> {
  return { object: 'list', data: page.data.map(serialize), list_metadata: { before: page.before, after: page.after } };
}
