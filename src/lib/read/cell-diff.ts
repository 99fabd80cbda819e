// The one comparison of two sets of published cells, matched by cell key: the changelog, the feed
// and the snapshot preview all count added, removed, changed and unchanged cells with it.

export type CellChange<T> = { before: T | null; after: T | null };

export type CellDiff<T> = {
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
  /** The first changes found (at most the number asked for): changed and added, then removed. */
  examples: CellChange<T>[];
};

/**
 * Compares `after` with `before`. Matched through a map by `keyOf`, so nothing depends on the order
 * either side is given in; a cell changed when `figuresOf` differs.
 */
export function diffCells<T>(
  before: Iterable<T>,
  after: Iterable<T>,
  keyOf: (cell: T) => string,
  figuresOf: (cell: T) => string,
  examples = 0,
): CellDiff<T> {
  const diff: CellDiff<T> = { added: 0, removed: 0, changed: 0, unchanged: 0, examples: [] };
  const note = (change: CellChange<T>) => {
    if (diff.examples.length < examples) diff.examples.push(change);
  };
  const earlier = new Map<string, { cell: T; figures: string }>();
  for (const cell of before) earlier.set(keyOf(cell), { cell, figures: figuresOf(cell) });
  for (const cell of after) {
    const key = keyOf(cell);
    const old = earlier.get(key);
    if (!old) {
      diff.added++;
      note({ before: null, after: cell });
      continue;
    }
    earlier.delete(key);
    if (old.figures === figuresOf(cell)) diff.unchanged++;
    else {
      diff.changed++;
      note({ before: old.cell, after: cell });
    }
  }
  for (const { cell } of earlier.values()) {
    diff.removed++;
    note({ before: cell, after: null });
  }
  return diff;
}
