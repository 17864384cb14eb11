/**
 * A pair in words a person can check, one line per field:
 * "given name: Мухаммад ≈ Muhammad (cross-script, +4.1)".
 */
import { detectScript } from '../names/index.ts';
import { LEVELS, SAME, SWAPPED, UNKNOWN } from './compare.ts';
import { formatRange } from './dates.ts';
import { FIELD_LABEL, type FieldName } from './fields.ts';
import { fieldWeight, loneColumn, type Model, probabilityOf } from './model.ts';
import type { Table } from './prepare.ts';

export interface FieldContribution {
  readonly field: FieldName;
  /** The level's name: same, alike, similar, different, unknown, … */
  readonly level: string;
  readonly left: string | null;
  readonly right: string | null;
  /** Match weight in bits (log2 of the likelihood ratio): positive for, negative against. */
  readonly weight: number;
  readonly text: string;
}

export interface Explanation {
  readonly probability: number;
  readonly weight: number;
  readonly priorWeight: number;
  readonly fields: readonly FieldContribution[];
  /** All of it in a few lines. */
  readonly text: string;
}

const signed = (w: number) => `${w >= 0 ? '+' : '−'}${Math.abs(w).toFixed(1)}`;

function symbol(kind: string, level: number): string {
  if (level === SAME) return '=';
  if (level === SWAPPED && kind === 'name') return '⇄';
  const names: readonly string[] = LEVELS[kind as keyof typeof LEVELS];
  return names[level] === 'different' ? '≠' : '≈';
}

function scriptOf(value: string): string {
  const s = detectScript(value);
  return s === 'mixed' || s === 'other' ? 'latin' : s;
}

/** Explains the pair of table records i and j at the levels the engine gave them. */
export function explainPair(model: Model, table: Table, levels: ArrayLike<number>, i: number, j: number): Explanation {
  const fields: FieldContribution[] = [];
  let total = model.priorWeight;
  const familySame = model.familyColumn >= 0 && levels[model.familyColumn] === SAME;
  table.columns.forEach((column, c) => {
    const level = levels[c]!;
    const show = (r: number) => {
      const id = column.ids[r]!;
      if (id < 0) return null;
      return column.kind === 'date' ? formatRange(column.dates[id]!) : column.values[id]!;
    };
    const lone = level === UNKNOWN ? null : loneColumn(model, table, c, i, j);
    // A family name found in the other record's given-name field is shown from there.
    const fromLone = (r: number) => (lone && column.ids[r]! < 0 && lone.ids[r]! >= 0 ? lone.values[lone.ids[r]!]! : null);
    const left = show(i) ?? fromLone(i);
    const right = show(j) ?? fromLone(j);
    const weight = fieldWeight(model.fields[c]!, column, level, i, j, familySame, lone);
    const byFamily = familySame && model.fields[c]!.familyWeights !== null;
    total += weight;
    const label = FIELD_LABEL[column.field];
    const levelName = LEVELS[column.kind][level] ?? String(level);
    let text: string;
    if (level === UNKNOWN && left !== null && right !== null) {
      text =
        column.field === 'full_name'
          ? `${label}: ${left} / ${right} (not counted again: it repeats the given and family names, 0)`
          : `${label}: ${left} / ${right} (one record's single name, compared as its family name, 0)`;
    } else if (level === UNKNOWN) text = `${label}: unknown on ${left === null && right === null ? 'both sides' : 'one side'} (0)`;
    else {
      const notes: string[] = [];
      if (column.kind === 'name' && left && right && scriptOf(left) !== scriptOf(right)) notes.push('cross-script');
      if (level === SWAPPED && column.kind === 'name') notes.push('given and family name swapped');
      else if (lone) notes.push("one record's single name, written as its given name");
      else if (level !== SAME || column.kind === 'date') notes.push(levelName);
      if (byFamily) notes.push('counts less: the family name agrees');
      else if (level === SAME && model.fields[c]!.termFrequency) {
        const count = column.canonCount[column.canon[column.ids[column.ids[i]! >= 0 ? i : j]!]!]!;
        notes.push(count > 2 ? `${count} records have it` : 'rare');
      }
      notes.push(signed(weight));
      text = `${label}: ${left} ${symbol(column.kind, level)} ${right} (${notes.join(', ')})`;
    }
    fields.push({ field: column.field, level: levelName, left, right, weight, text });
  });
  const probability = probabilityOf(total);
  const head = `probability ${(probability * 100).toFixed(probability > 0.999 || probability < 0.001 ? 3 : 1)}% (match weight ${signed(total)}, of which ${signed(model.priorWeight)} before comparing)`;
  return { probability, weight: total, priorWeight: model.priorWeight, fields, text: [head, ...fields.map((f) => `  ${f.text}`)].join('\n') };
}
