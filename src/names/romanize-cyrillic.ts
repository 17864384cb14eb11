/**
 * Readable romanisation of Cyrillic names, after BGN/PCGN 1947 for Russian
 * without its diacritics: е is "ye" at the start of a word and after a vowel or
 * a hard or soft sign (Yevgeniy, Aliyev), ё is "yo" (Alyona, but Gorbachov),
 * й "y", х "kh", ц "ts", щ "shch", ы "y", ю "yu", я "ya"; ъ and ь are dropped.
 * Ukrainian і ї є and the Central Asian letters are read as their Russian
 * counterparts first (normalize.ts). For travel documents use icaoTransliterate.
 */
import { normalizeCyrillic } from './normalize.ts';

const LETTERS: Readonly<Record<string, string>> = {
  'а': 'a', 'б': 'b', 'в': 'v', 'г': 'g', 'д': 'd', 'е': 'e', 'ж': 'zh', 'з': 'z', 'и': 'i',
  'й': 'y', 'к': 'k', 'л': 'l', 'м': 'm', 'н': 'n', 'о': 'o', 'п': 'p', 'р': 'r', 'с': 's',
  'т': 't', 'у': 'u', 'ф': 'f', 'х': 'kh', 'ц': 'ts', 'ч': 'ch', 'ш': 'sh', 'щ': 'shch',
  'ъ': '', 'ы': 'y', 'ь': '', 'э': 'e', 'ю': 'yu', 'я': 'ya',
};

const VOWELS = 'аеёиоуыэюяьъ';
const HUSHING = 'жчшщ';

function romanizeWord(word: string): string {
  let out = '';
  const chars = [...word];
  chars.forEach((ch, i) => {
    const prev = chars[i - 1];
    const afterVowel = prev === undefined || VOWELS.includes(prev) || !/\p{L}/u.test(prev);
    if (ch === 'е') out += afterVowel ? 'ye' : 'e';
    else if (ch === 'ё') out += afterVowel ? 'yo' : prev !== undefined && HUSHING.includes(prev) ? 'o' : 'yo';
    else if (ch === 'ы' && chars[i + 1] === 'й') out += 'y'; // -ый: "Belyy" reads as "Bely"
    else if (ch === 'й' && prev === 'ы') out += '';
    else out += LETTERS[ch] ?? ch;
  });
  return out;
}

/**
 * Readable Latin for a Cyrillic name, each part capitalised.
 * @example romanizeCyrillic('Мухаммад Алиев') // 'Mukhammad Aliyev'
 * @example romanizeCyrillic('Алёна Щукина') // 'Alyona Shchukina'
 */
export function romanizeCyrillic(text: string): string {
  // Keep ё (normalizeCyrillic would turn it into е): it changes the reading.
  const marked = text.normalize('NFC').toLowerCase().replace(/ё/g, '\u0001');
  const folded = normalizeCyrillic(marked).replace(/\u0001/g, 'ё');
  return folded.replace(/\p{L}+/gu, (word) => capitalize(romanizeWord(word)));
}

export function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
