// Diagnosis of where a dataset's recall is lost:
//   node --max-old-space-size=6000 --import tsx scripts/bench/matching-diagnose.ts [historical|fake|febrl3|population N]
// Runs the engine, then counts the true pairs blocking never proposed, those scored below 0.5 and the
// false positives, by the fields they share and by their pattern of levels, with an example of each.
// With DIAG_DUMP=PREFIX it also writes the three lists of pairs (record numbers) to PREFIX-*.txt.
import { candidatePairs } from '../../src/matching/blocking.ts';
import { Comparer, LEVELS } from '../../src/matching/compare.ts';
import { type Dataset, loadFake1000, loadFebrl, loadHistorical50k } from '../../src/matching/datasets.ts';
import { linkRecords } from '../../src/matching/link.ts';
import { pairWeight, probabilityOf } from '../../src/matching/model.ts';
import { generatePopulation } from '../../src/matching/population.ts';

const which = process.argv[2] ?? 'historical';
let data: Dataset;
if (which === 'historical') data = loadHistorical50k()!;
else if (which === 'fake') data = loadFake1000()!;
else if (which === 'febrl3') data = loadFebrl('dataset3')!;
else {
  const p = generatePopulation({ records: Number(process.argv[3] ?? 100_000) });
  data = { records: p.records, clusters: Array.from(p.clusters, String), ids: p.records.map((_, i) => String(i)) };
}
const { records, clusters } = data;
const t0 = performance.now();
const result = linkRecords(records, null);
console.log(`link: ${((performance.now() - t0) / 1000).toFixed(1)} s, ${result.candidates} candidates, timings ${JSON.stringify(result.timings)}, dropped ${result.blocking.droppedRules.join(' ')}`);
const table = result.table;
const model = result.model;
console.log(`expected matches ${Math.round(model.expectedMatches)}, prior weight ${model.priorWeight.toFixed(2)}`);
for (const f of model.fields) console.log(`  ${f.field}: ${LEVELS[f.kind].map((l, k) => `${l} ${k === 0 ? '' : `${f.weights[k]!.toFixed(1)} (m ${f.m[k]!.toFixed(3)})`}`).slice(1).join(', ')}`);

// True pairs.
const byCluster = new Map<string, number[]>();
clusters.forEach((c, i) => byCluster.set(c, [...(byCluster.get(c) ?? []), i]));
const n = records.length;
const truth = new Set<number>();
for (const g of byCluster.values()) for (let a = 0; a < g.length; a++) for (let b = a + 1; b < g.length; b++) truth.add(g[a]! * n + g[b]!);
const cand = candidatePairs(table);
const candSet = new Set<number>();
for (let k = 0; k < cand.left.length; k++) candSet.add(cand.left[k]! * n + cand.right[k]!);
const kept = new Set<number>();
for (let k = 0; k < result.left.length; k++) kept.add(result.left[k]! * n + result.right[k]!);
let blocked = 0;
let keptTrue = 0;
for (const t of truth) {
  if (candSet.has(t)) blocked++;
  if (kept.has(t)) keptTrue++;
}
console.log(`true pairs ${truth.size}; proposed by blocking ${blocked} (${((100 * blocked) / truth.size).toFixed(1)}%); kept ${keptTrue} (${((100 * keptTrue) / truth.size).toFixed(1)}%); kept ${kept.size} pairs, precision ${(keptTrue / kept.size).toFixed(4)}`);

const comparer = new Comparer(table);
const F = table.columns.length;
const out = new Uint8Array(F);
const short = (c: number, l: number) => (l === 0 ? '?' : l === 1 ? '=' : String(l));
const pattern = (i: number, j: number) => {
  comparer.compare(i, j, out);
  return table.columns.map((c, k) => `${c.field.slice(0, 6)}${short(k, out[k]!)}`).join(' ');
};
const show = (i: number, j: number) => table.columns.map((c) => `${c.field.slice(0, 6)}:${c.ids[i]! < 0 ? '' : c.values[c.ids[i]!]}/${c.ids[j]! < 0 ? '' : c.values[c.ids[j]!]}`).join(' ');
const tally = (label: string, pairs: number[]) => {
  const counts = new Map<string, number>();
  const examples = new Map<string, [number, number]>();
  const fieldShared = new Map<string, number>();
  for (const t of pairs) {
    const i = Math.floor(t / n);
    const j = t - i * n;
    const p = pattern(i, j);
    counts.set(p, (counts.get(p) ?? 0) + 1);
    if (!examples.has(p)) examples.set(p, [i, j]);
    const shared = table.columns.filter((_, k) => out[k]! >= 1 && out[k]! <= 2).map((c) => c.field.slice(0, 6)).join('+') || 'nothing';
    fieldShared.set(shared, (fieldShared.get(shared) ?? 0) + 1);
  }
  console.log(`\n${label}: ${pairs.length}`);
  console.log(' by fields the same or alike:');
  for (const [s, c] of [...fieldShared].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${c}\t${s}`);
  console.log(' by pattern:');
  for (const [p, c] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
    const [i, j] = examples.get(p)!;
    comparer.compare(i, j, out);
    console.log(`  ${c}\t${p}\t p=${probabilityOf(pairWeight(model, table, out, 0, i, j)).toFixed(3)} | ${show(i, j)}`);
  }
};
const missedBlocking: number[] = [];
const missedScoring: number[] = [];
for (const t of truth) {
  if (!candSet.has(t)) missedBlocking.push(t);
  else if (!kept.has(t)) missedScoring.push(t);
}
const falsePositives: number[] = [];
for (const t of kept) if (!truth.has(t)) falsePositives.push(t);
tally('missed by blocking', missedBlocking);
tally('blocked but scored below 0.5', missedScoring);
tally('false positives', falsePositives);
if (process.env.DIAG_DUMP) {
  const fs = await import('node:fs');
  const dump = (pairs: number[]) => pairs.map((t) => `${Math.floor(t / n)},${t % n}`).join('\n');
  fs.writeFileSync(`${process.env.DIAG_DUMP}-blocking.txt`, dump(missedBlocking));
  fs.writeFileSync(`${process.env.DIAG_DUMP}-scoring.txt`, dump(missedScoring));
  fs.writeFileSync(`${process.env.DIAG_DUMP}-fp.txt`, dump(falsePositives));
}
