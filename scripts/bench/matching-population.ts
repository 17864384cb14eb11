// Child process of the matching benchmark: generates the synthetic multi-script
// population of N records (src/matching/population.ts), deduplicates it with the
// engine, and prints one JSON line with quality, times and this process's peak memory.
import { pairQuality } from '../../src/matching/evaluate.ts';
import { linkRecords } from '../../src/matching/link.ts';
import { generatePopulation } from '../../src/matching/population.ts';

const records = Number(process.argv[2] ?? 100_000);
let clock = performance.now();
const population = generatePopulation({ records });
const generateMs = performance.now() - clock;
clock = performance.now();
const result = linkRecords(population.records, null);
const linkMs = performance.now() - clock;
const quality = pairQuality(result.left, result.right, Array.from(population.clusters, String), null);
console.log(
  JSON.stringify({
    records,
    people: population.people,
    generateMs,
    linkMs,
    timings: result.timings,
    candidates: result.candidates,
    droppedRules: result.blocking.droppedRules,
    ...quality,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  }),
);
