import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { display, type PublishedTable, suppressTable } from './suppression.ts';

/** Every published number of a table, with the extended grid's positions (totals last). */
function publishedGrid(t: PublishedTable) {
  const rows = t.cells.length;
  return [...t.cells.map((row, r) => [...row, t.rowTotals[r]!]), [...t.columnTotals, t.grandTotal]].map((row) => row.map((p) => p)) as PublishedTable['cells'][number][];
  void rows;
}

/**
 * The exact attacker: every assignment of the hidden cells (small ones 1…4, the others 0 or 5…max)
 * that agrees with every published number. A small count is safe if at least two values remain.
 */
function feasibleValues(table: PublishedTable, max: number): Map<string, Set<number>> {
  const grid = publishedGrid(table);
  const R = grid.length;
  const C = grid[0]!.length;
  const hidden: [number, number][] = [];
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) if (grid[r]![c]!.hidden) hidden.push([r, c]);
  const values = grid.map((row) => row.map((p) => (p.hidden ? -1 : p.value)));
  const seen = new Map<string, Set<number>>(hidden.map(([r, c]) => [`${r},${c}`, new Set<number>()]));
  const consistent = (complete: boolean) => {
    for (let r = 0; r < R; r++) {
      const row = values[r]!;
      if (complete || row.every((v) => v >= 0)) if (row.slice(0, C - 1).reduce((a, b) => a + b, 0) !== row[C - 1]) return false;
    }
    for (let c = 0; c < C; c++) {
      const col = values.map((row) => row[c]!);
      if (complete || col.every((v) => v >= 0)) if (col.slice(0, R - 1).reduce((a, b) => a + b, 0) !== col[R - 1]) return false;
    }
    return true;
  };
  const walk = (i: number) => {
    if (i === hidden.length) {
      if (consistent(true)) for (const [r, c] of hidden) seen.get(`${r},${c}`)!.add(values[r]![c]!);
      return;
    }
    const [r, c] = hidden[i]!;
    const p = grid[r]![c]!;
    const domain = p.hidden && p.reason === 'primary' ? [1, 2, 3, 4] : [0, ...Array.from({ length: Math.max(0, max - 4) }, (_, k) => k + 5)];
    for (const v of domain) {
      values[r]![c] = v;
      if (consistent(false)) walk(i + 1);
    }
    values[r]![c] = -1;
  };
  walk(0);
  return seen;
}

function assertSafe(cells: number[][]) {
  const table = suppressTable(cells);
  const grid = publishedGrid(table);
  const total = cells.flat().reduce((a, b) => a + b, 0);
  const feasible = feasibleValues(table, total);
  for (const [at, values] of feasible) {
    const [r, c] = at.split(',').map(Number) as [number, number];
    const p = grid[r]![c]!;
    if (p.hidden && p.reason === 'primary') assert.ok(values.size >= 2, `${JSON.stringify(cells)}: the small count at ${at} can be worked out (${[...values].join(',')})`);
  }
  // Nothing small is ever shown.
  for (const row of grid) for (const p of row) if (!p.hidden) assert.ok(p.value === 0 || p.value >= 5, `${JSON.stringify(cells)}: ${p.value} shown`);
  return table;
}

describe('small numbers in public statistics', () => {
  test('a count under 5 is shown as "<5"; the total would give it back, so a second cell is hidden', () => {
    // Returns by nationality: 33 Russian, 3 Finnish, 12 Belarusian; total 48.
    const t = assertSafe([[33, 3, 12]]);
    assert.deepEqual(t.cells[0]!.map((p) => display(p)), ['33', '<5', 'x']);
    assert.equal(display(t.rowTotals[0]!), '48', 'the total stays published');
  });

  test('large tables keep every number that is safe; zeros are shown', () => {
    const t = assertSafe([
      [40, 25, 0],
      [30, 18, 7],
    ]);
    assert.ok(t.cells.flat().every((p) => !p.hidden));
  });

  test('a small total is hidden too, and cannot be worked out from the grand total', () => {
    const t = assertSafe([
      [2, 1, 0],
      [30, 18, 7],
    ]);
    assert.equal(t.rowTotals[0]!.hidden, true);
  });

  test('no small count can be worked out from the margins, on 500 random tables (exhaustive attacker)', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 500; i++) {
      const rows = 1 + rand(2);
      const cols = 2 + rand(2);
      const cells = Array.from({ length: rows }, () => Array.from({ length: cols }, () => (rand(3) === 0 ? rand(5) : rand(14))));
      assertSafe(cells);
    }
  });

  test('bad tables are refused', () => {
    assert.throws(() => suppressTable([[1, 2], [3]]), RangeError);
    assert.throws(() => suppressTable([[1.5]]), RangeError);
    assert.throws(() => suppressTable([[-1]]), RangeError);
  });
});
