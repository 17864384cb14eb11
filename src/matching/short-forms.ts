/**
 * Short forms of given names: Tom for Thomas, Fred for Alfred, Willy for
 * William, Sasha for Aleksandr, Ian or Ivan for John. Recognised by rule (the
 * short name begins or ends the long one, or does after dropping a pet ending
 * -y/-ie/-a and a doubled last letter: Robby → Rob → Robert) or from a table of
 * the irregular ones and of the same name in other European languages (English,
 * Scots, Irish, Welsh, French, German, Spanish, Italian, Russian), compared on the
 * romanised forms. Common knowledge, not learned from any benchmark. And initials:
 * "J." for any name beginning with J.
 */

/**
 * Each line: a name, then its short forms and its forms in other languages (romanised, lower case).
 * Two names are short forms of each other when a line holds both.
 */
const GROUPS = `
thomas tom tommy tommie thom tomas tommaso foma
joseph joe joey jo jos josef giuseppe jose iosif osip
william bill billy bill will willy willie wills liam gwilym guillaume wilhelm guillermo guglielmo vasiliy
robert bob bobby bobbie rob robbie robby robin bert bertie roberto
richard dick dicky rick ricky rich richie ritchie ricardo riccardo
john jack jackie johnny jonny jock ian iain sean shane evan ifan ieuan ivan vanya johann johannes hans jan jean juan giovanni joao ioann
james jim jimmy jimmie jamie jem jas hamish seamus jaime
edward ed eddie eddy ned ted teddy teddie eduard eduardo edouard
edmund ed eddie ned edmond
edwin ed eddie eddy win
edgar ed eddie
henry harry hal hank heinrich henri enrique enrico hendrik
harold harry hal
margaret peggy peg maggie meg madge marge margie maisie daisy greta rita may margarete marguerite margarita
elizabeth betty bess bessie betsy beth liz lizzie libby eliza elsie elspeth lisa isabel elisabeth yelizaveta
isabella isabel bella izzy
mary polly molly mamie mae may maria marie mariya masha maryam miriam
sarah sally sadie sara
ann anne anna annie nancy nan nanny hannah anya ana
catherine kate katie kitty kit cathy katharine katherine kathleen katarina ekaterina yekaterina katya caterina catalina
charles charlie charley chas chuck carl karl carlos carlo karel
alexander alex alec alick sandy sander sasha shura sanya aleksandr alessandro alejandro alistair alasdair
alexandra alex sandra sasha shura aleksandra
jeffrey jeff geoff
geoffrey geoff jeff
anthony tony antony anton antonio
lawrence larry laurie laurence lorenzo
laurence larry laurie lawrence
agnes nessie nessa
patricia pat patty patsy tricia
patrick pat paddy
dorothy dolly dot dottie dora
frances fanny fran frannie francesca francoise
francis frank frankie francois franz francesco francisco
frederick fred freddie freddy fritz friedrich federico
alfred alf alfie fred freddie
albert al bert bertie
herbert herb herbie bert bertie
gilbert gil bert
david dave davey davy dai dafydd
daniel dan danny
samuel sam sammy
benjamin ben benny benji
nicholas nick nicky nikolai nikolay kolya nicolas nicola klaus
michael mike mikey mick micky mickey mikhail misha michel miguel michele
peter pete pierre pedro pietro piotr pyotr petr petya
paul pavel pawel paolo pablo paulo
andrew andy drew andreas andre andrei andrey andres
stephen steve stevie stefan etienne esteban stepan stefano steven
george georg jorge giorgio georgiy
walter walt wally
wallace wally
reginald reg reggie
leonard len lenny leo
ronald ron ronnie
kenneth ken kenny
raymond ray
augustus gus gussie augustine august
arthur art artie
archibald archie
matthew matt matty
matilda tilly mattie maud
martha mattie patty
theodore ted teddy theo
isaac ike
moses mo moe
abraham abe
zachary zach zack
nathaniel nat nathan
susan sue susie
rebecca becky
abigail abby abbie
cecilia cissie cis cecily
constance connie
emily emmie emmy em
emma emmie emmy em
eleanor nell nellie nelly nora ella elinor
helen nell nellie nelly ellen elena yelena lena
winifred winnie
wilfred wilf
florence florrie flo
adelaide addie
barbara babs
harriet hattie hetty
henrietta hattie hetty etta
jessica jess jessie
gertrude trudy gertie
lavinia vinnie
vincent vince vinnie vin
victor vic
hugh huey hugo
horatio horace
julius julian julio
sidney sid
stanley stan
dmitriy dima dmitry dmitrii
vladimir volodya vova
aleksey lyosha alexei alyosha
sergey seryozha sergei
evgeniy zhenya yevgeny evgeny
evgeniya zhenya
tatyana tanya tatiana
natalya natasha natalia
elena lena yelena
olga olya
svetlana sveta
nadezhda nadya
galina galya
yuriy yura yuri
anatoliy tolya
grigoriy grisha
`;

const GROUPS_OF = new Map<string, number[]>();
const HEADS: string[] = [];
GROUPS.trim()
  .split('\n')
  .forEach((line, g) => {
    const names = line.trim().split(/\s+/);
    HEADS.push(names[0]!);
    for (const name of new Set(names)) GROUPS_OF.set(name, [...(GROUPS_OF.get(name) ?? []), g]);
  });

/** The full names a short form of the table stands for (Tom → Thomas; Thomas → none), for blocking. */
export function fullFormsOf(name: string): string[] {
  return (GROUPS_OF.get(name) ?? []).map((g) => HEADS[g]!).filter((head) => head !== name);
}

const PET_ENDINGS = /(ie|y|i|ey|a|o)$/;

/** Whether one of two single romanised given names is a short form of the other. */
export function isShortForm(a: string, b: string): boolean {
  if (a === b || a.includes(' ') || b.includes(' ')) return false;
  const ga = GROUPS_OF.get(a);
  const gb = ga && GROUPS_OF.get(b);
  if (ga && gb && ga.some((g) => gb.includes(g))) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length < 3 || long.length - short.length < 1 || (short[0] !== long[0] && short.length < 4)) return false;
  if (long.startsWith(short)) return true;
  if (short.length >= 4 && long.endsWith(short)) return true;
  let stem = short.replace(PET_ENDINGS, '');
  if (stem === short) return false;
  // A doubled last letter before a pet ending: Robby, Tommie, Reggie.
  if (stem.length >= 3 && stem[stem.length - 1] === stem[stem.length - 2]) stem = stem.slice(0, -1);
  return stem.length >= 3 && long.startsWith(stem);
}

/** Whether one name is an initial (one letter, "J" or "J.") and the other a name beginning with it. */
export function isInitialOf(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length === 1 && long.length > 1 && long[0] === short;
}
