// Development check of the skeleton design on TRAIN pairs: how many true pairs
// share a skeleton, how many shuffled pairs do, and the commonest disagreements.
import { arabicLetters, cyrillicLetters, latinLetters } from '../../src/names/forms.ts';
import { arabicSkeleton, cyrillicSkeleton, latinSkeleton } from '../../src/names/skeleton.ts';
import { readWikidata } from './datasets.ts';

for (const lang of ['ar', 'ru'] as const) {
  const pairs = readWikidata(`en_${lang}_train.tsv`);
  const sk = (t: string) => (lang === 'ar' ? arabicSkeleton(arabicLetters(t)) : cyrillicSkeleton(cyrillicLetters(t)));
  const rows = pairs.map((p) => ({ a: latinSkeleton(latinLetters(p.latin)), b: sk(p.target), l: p.latin, t: p.target }));
  const hit = rows.filter((r) => r.a === r.b && r.a !== '').length;
  let fp = 0; let n = 0;
  for (let k = 1; k <= 5; k++) {
    const off = (k * 7919) % rows.length;
    rows.forEach((r, i) => { const q = rows[(i + off) % rows.length]!; if (q.t !== r.t) { n++; if (q.b === r.a && r.a !== '') fp++; } });
  }
  console.log(lang, 'recall', (hit / rows.length * 100).toFixed(1), 'false', (fp / n * 100).toFixed(3));
  const diffs = new Map<string, number>();
  for (const r of rows) if (r.a !== r.b && r.a.length === r.b.length) for (let i = 0; i < r.a.length; i++) if (r.a[i] !== r.b[i]) { const k = `${r.a[i]}>${r.b[i]}`; diffs.set(k, (diffs.get(k) ?? 0) + 1); }
  console.log([...diffs].sort((x, y) => y[1] - x[1]).slice(0, 25).map(([k, v]) => `${k}:${v}`).join(' '));
  const lenDiff = rows.filter((r) => r.a.length !== r.b.length);
  console.log('len diff', lenDiff.length, lenDiff.slice(0, 25).map((r) => `${r.l}/${r.t}:${r.a}/${r.b}`).join(' '));
}
