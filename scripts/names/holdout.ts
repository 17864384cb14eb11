// Development check, never on dev: trains a pair model on 90% of TRAIN and
// measures recall at 0.1% false hits on the other 10%.
// Usage: node --import tsx scripts/names/holdout.ts ar|ru [maxX] [maxY]
import { arabicLetters, cyrillicLetters, latinLetters } from '../../src/names/forms.ts';
import { PairModel } from '../../src/names/pair-model.ts';
import { readGoogleArEn, readWikidata } from './datasets.ts';
import { buildPairModel, quantile, shuffledNegatives } from './learn-pair.ts';

const lang = process.argv[2] ?? 'ar';
const maxX = Number(process.argv[3] ?? 2);
const maxY = Number(process.argv[4] ?? 2);
const withGoogle = process.argv.includes('google');
const letters = lang === 'ar' ? arabicLetters : cyrillicLetters;
const hash = (s: string) => { let h = 2166136261; for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 16777619); return h >>> 0; };
const rows = readWikidata(`en_${lang}_train.tsv`).map((p) => ({ x: latinLetters(p.latin), y: letters(p.target), weight: 1, fold: hash(p.latin) % 10 }));
const extra = withGoogle ? readGoogleArEn().map((p) => ({ x: latinLetters(p.latin), y: letters(p.target), weight: 1, fold: 1 })) : [];
const usable = rows.filter((r) => r.x && r.y);
const train = [...usable.filter((r) => r.fold !== 0), ...extra.filter((r) => r.x && r.y)];
const test = usable.filter((r) => r.fold === 0);
const data = buildPairModel(train, { maxX, maxY, log: console.log });
const model = new PairModel(data);
const neg = shuffledNegatives(test, 10).map(([x, y]) => model.llr(x, y)).sort((a, b) => b - a);
const pos = test.map((r) => model.llr(r.x, r.y));
for (const rate of [0.001, 0.0001]) {
  const t = quantile(neg, rate);
  console.log(`${lang} ${maxX}x${maxY}${withGoogle ? '+google' : ''}: at ${rate * 100}% false hits (LLR ${t.toFixed(2)}) recall ${(pos.filter((s) => s > t).length / pos.length * 100).toFixed(2)}%`);
}
const sims = test.map((r) => model.similarity(r.x, r.y));
const negSims = shuffledNegatives(test, 10).map(([x, y]) => model.similarity(x, y));
console.log(`with the trained calibration (sim ≥ 0.5): recall ${(sims.filter((s) => s >= 0.5).length / sims.length * 100).toFixed(2)}%, false ${(negSims.filter((s) => s >= 0.5).length / negSims.length * 100).toFixed(3)}%`);
console.log('ops', Object.values(data.ops).reduce((s, r) => s + Object.keys(r).length, 0), 'json bytes', JSON.stringify(data).length);
