/**
 * Jaro–Winkler similarity of two strings in [0, 1] (Winkler 1990: prefix scale
 * 0.1 over at most four characters, applied above a Jaro score of 0.7).
 * @example jaroWinkler('martha', 'marhta') // ≈ 0.961
 */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return a === '' ? 0 : 1;
  if (a === '' || b === '') return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const matchedB = new Uint8Array(b.length);
  const matchedA: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(b.length - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (!matchedB[j] && a[i] === b[j]) {
        matchedB[j] = 1;
        matchedA.push(i);
        break;
      }
    }
  }
  const m = matchedA.length;
  if (m === 0) return 0;
  let transpositions = 0;
  let j = 0;
  for (const i of matchedA) {
    while (!matchedB[j]) j++;
    if (a[i] !== b[j]) transpositions++;
    j++;
  }
  const jaro = (m / a.length + m / b.length + (m - transpositions / 2) / m) / 3;
  if (jaro <= 0.7) return jaro;
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}
