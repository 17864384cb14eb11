/**
 * Small-number suppression for public statistics, pure. A published table must not let anyone
 * single out a person: a count of 1 to 4 is shown as "<5" (primary suppression), and further
 * cells are hidden (secondary suppression) so that no total, row, column or difference gives a
 * hidden count back.
 *
 * The table is cells (rows × columns) with their row totals, column totals and the grand total,
 * all published. The rule enforced on every line (each row with its total, each column with
 * its total, the row of column totals with the grand total):
 *   a line holds either no hidden cell, or at least two whose hidden counts add up to at least
 *   the threshold,
 * so that the line's published total fixes only their sum, never one of them, and that sum
 * leaves each of them a range of values. Totals themselves are cells of the totals' line: a
 * small total is hidden, and then needs a partner too. Secondary cells are chosen smallest
 * first (least information lost), preferring cells already hidden in the crossing line.
 * True zeros are shown: "nobody" singles out nobody (set `suppressZeros` to hide them too).
 */

export const SUPPRESSION_THRESHOLD = 5;

export interface SuppressionOptions {
  /** Counts in 1…threshold−1 are hidden. Default 5. */
  readonly threshold?: number;
  readonly suppressZeros?: boolean;
}

/** A published cell: the count, or hidden — and why (for the statistician, not for the public). */
export type Published = { readonly value: number; readonly hidden: false } | { readonly hidden: true; readonly reason: 'primary' | 'secondary' };

export interface PublishedTable {
  readonly cells: readonly (readonly Published[])[];
  readonly rowTotals: readonly Published[];
  readonly columnTotals: readonly Published[];
  readonly grandTotal: Published;
}

/** How a hidden count is written: "<5". */
export const hiddenLabel = (threshold = SUPPRESSION_THRESHOLD) => `<${threshold}`;

/** The mark of a cell hidden only to protect a small one (its own count is at or above the threshold). */
export const SECONDARY_MARK = 'x';

/** A cell as the public sees it: the number, "<5" for a small count, "x" for a cell hidden to protect one. */
export const display = (p: Published, threshold = SUPPRESSION_THRESHOLD): string => (p.hidden ? (p.reason === 'primary' ? hiddenLabel(threshold) : SECONDARY_MARK) : String(p.value));

/**
 * Suppresses a table of counts (`cells[r][c]`, non-negative integers) with its margins.
 * A one-dimensional list (counts by nationality, say, and their total) is a table of one row.
 */
export function suppressTable(cells: readonly (readonly number[])[], options: SuppressionOptions = {}): PublishedTable {
  const threshold = options.threshold ?? SUPPRESSION_THRESHOLD;
  const rows = cells.length;
  const cols = rows === 0 ? 0 : (cells[0]?.length ?? 0);
  for (const row of cells) {
    if (row.length !== cols) throw new RangeError('every row of the table must have the same number of columns');
    for (const v of row) if (!Number.isInteger(v) || v < 0) throw new RangeError(`a count must be a whole number ≥ 0, not ${v}`);
  }
  // The extended grid: cells, row totals in column `cols`, column totals in row `rows`, the grand total at [rows][cols].
  const grid: number[][] = Array.from({ length: rows + 1 }, (_, r) => Array.from({ length: cols + 1 }, (_, c) => (r < rows && c < cols ? (cells[r]?.[c] ?? 0) : 0)));
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) {
    const v = grid[r]![c]!;
    grid[r]![cols]! += v;
    grid[rows]![c]! += v;
    grid[rows]![cols]! += v;
  }
  const sensitive = (v: number) => (v > 0 || options.suppressZeros === true) && v < threshold;
  const reason: ('primary' | 'secondary' | null)[][] = grid.map((row) => row.map((v) => (sensitive(v) ? 'primary' : null)));

  // Lines: each row of the extended grid (cells and its total) and each column (cells and its total).
  const lines: [number, number][][] = [];
  for (let r = 0; r <= rows; r++) lines.push(Array.from({ length: cols + 1 }, (_, c) => [r, c] as [number, number]));
  for (let c = 0; c <= cols; c++) lines.push(Array.from({ length: rows + 1 }, (_, r) => [r, c] as [number, number]));
  const isHidden = (r: number, c: number) => reason[r]![c] !== null;
  const hiddenCountIn = (r: number, c: number): number => lines.filter((l) => l.some(([a, b]) => a === r && b === c)).reduce((n, l) => n + l.filter(([a, b]) => isHidden(a, b)).length, 0);

  const hide = (r: number, c: number) => {
    reason[r]![c] = 'secondary';
  };
  /** Hides the smallest visible cell of a line, preferring one whose crossing lines already hide cells. */
  const hideOneMore = (line: readonly [number, number][]): boolean => {
    const visible = line.filter(([r, c]) => !isHidden(r, c));
    const nonZero = visible.filter(([r, c]) => grid[r]![c]! > 0 || options.suppressZeros === true);
    const pool = nonZero.length > 0 ? nonZero : visible;
    if (pool.length === 0) return false;
    pool.sort(([r1, c1], [r2, c2]) => grid[r1]![c1]! - grid[r2]![c2]! || hiddenCountIn(r2, c2) - hiddenCountIn(r1, c1) || r1 - r2 || c1 - c2);
    const [r, c] = pool[0]!;
    hide(r, c);
    return true;
  };

  for (let guard = 0; guard < (rows + 2) * (cols + 2) * 4; guard++) {
    let changed = false;
    for (const line of lines) {
      const hidden = line.filter(([r, c]) => isHidden(r, c));
      if (hidden.length === 0) continue;
      // Two cells that must be equal (a table of one row: a cell and its column total) are hidden together.
      if (line.length === 2) {
        for (const [r, c] of line) if (!isHidden(r, c)) { hide(r, c); changed = true; }
        continue;
      }
      const sum = hidden.reduce((s, [r, c]) => s + grid[r]![c]!, 0);
      if (hidden.length >= 2 && sum >= threshold) continue;
      changed = hideOneMore(line) || changed;
    }
    if (changed) continue;
    // The line rule holds; now what an attacker can still work out from every published number together.
    const pinned = pinnedCells(grid, reason, lines, threshold, options.suppressZeros === true);
    const first = pinned[0];
    if (!first) break;
    const line = lines.find((l) => l.length > 2 && l.some(([a, b]) => a === first[0] && b === first[1]) && l.some(([a, b]) => !isHidden(a, b)));
    if (!line || !hideOneMore(line)) break;
  }

  const publish = (r: number, c: number): Published => {
    const why = reason[r]![c];
    return why ? { hidden: true, reason: why } : { value: grid[r]![c]!, hidden: false };
  };
  return {
    cells: Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => publish(r, c))),
    rowTotals: Array.from({ length: rows }, (_, r) => publish(r, cols)),
    columnTotals: Array.from({ length: cols }, (_, c) => publish(rows, c)),
    grandTotal: publish(rows, cols),
  };
}

/**
 * The hidden small counts an attacker can narrow to a single value, by propagating bounds
 * through every published line (a hidden small count lies in 1…threshold−1, a cell hidden to
 * protect it is zero or at least the threshold; each line's cells add up to its total). Bound propagation
 * is what a person does with a calculator; a full linear-programming attack can be sharper
 * on large tables, which is why secondary cells are chosen to keep ranges wide.
 */
export function pinnedCells(
  grid: readonly (readonly number[])[],
  reason: readonly (readonly ('primary' | 'secondary' | null)[])[],
  lines: readonly (readonly [number, number][])[],
  threshold: number,
  zerosHidden: boolean,
): [number, number][] {
  const key = (r: number, c: number) => r * 100_000 + c;
  const lo = new Map<number, number>();
  const hi = new Map<number, number>();
  for (let r = 0; r < grid.length; r++) for (let c = 0; c < (grid[r]?.length ?? 0); c++) {
    const why = reason[r]![c];
    if (!why) continue;
    // A cell hidden to protect another may be a zero (when nothing else was left to hide) or a count at or above the threshold.
    lo.set(key(r, c), why === 'primary' ? (zerosHidden ? 0 : 1) : 0);
    hi.set(key(r, c), why === 'primary' ? threshold - 1 : Number.POSITIVE_INFINITY);
  }
  const totalsRow = grid.length - 1;
  const totalsCol = (grid[0]?.length ?? 1) - 1;
  // Each line: Σ cells − total = 0; the total is the cell in the totals row or column of the line.
  const constraints = lines.map((line) => {
    const terms: { k: number; a: number }[] = [];
    let b = 0;
    for (const [r, c] of line) {
      const isTotal = line.every(([a]) => a === r) ? c === totalsCol : r === totalsRow;
      const a = isTotal ? -1 : 1;
      if (reason[r]![c]) terms.push({ k: key(r, c), a });
      else b -= a * grid[r]![c]!;
    }
    return { terms, b };
  });
  for (let round = 0; round < 50; round++) {
    let changed = false;
    for (const { terms, b } of constraints) {
      if (terms.length === 0) continue;
      for (const t of terms) {
        // a_t x_t = b − Σ others a_i x_i
        let min = b;
        let max = b;
        for (const o of terms) {
          if (o === t) continue;
          const [l, h] = [lo.get(o.k)!, hi.get(o.k)!];
          if (o.a > 0) {
            min -= h;
            max -= l;
          } else {
            min += l;
            max += h;
          }
        }
        const [nl, nh] = t.a > 0 ? [min, max] : [-max, -min];
        if (nl > lo.get(t.k)!) {
          lo.set(t.k, nl);
          changed = true;
        }
        if (nh < hi.get(t.k)!) {
          hi.set(t.k, nh);
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  const out: [number, number][] = [];
  for (let r = 0; r < grid.length; r++) for (let c = 0; c < (grid[r]?.length ?? 0); c++) {
    if (reason[r]![c] === 'primary' && hi.get(key(r, c))! - lo.get(key(r, c))! < 1) out.push([r, c]);
  }
  return out;
}
