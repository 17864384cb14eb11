/**
 * Name material for the fictional demo population: common given names (each in
 * Arabic, Cyrillic and the Latin spellings the countries use) and surnames per
 * country. Combined at random, they describe no real person.
 */
export interface GivenName {
  readonly ar: string;
  readonly cyr: string;
  /** Latin spellings: a default, and per-country variants where they differ. */
  readonly lat: string;
  readonly variants?: Readonly<Partial<Record<string, string>>>;
}

export const FEMALE: readonly GivenName[] = [
  { ar: 'فاطمة', cyr: 'Фатима', lat: 'Fatima', variants: { TUR: 'Fatma', AZE: 'Fatimə' } },
  { ar: 'عائشة', cyr: 'Аиша', lat: 'Aisha', variants: { TUR: 'Ayşe', AZE: 'Aişə', FRA: 'Aïcha', DEU: 'Aischa' } },
  { ar: 'مريم', cyr: 'Марьям', lat: 'Maryam', variants: { TUR: 'Meryem', AZE: 'Məryəm', FRA: 'Meriem' } },
  { ar: 'خديجة', cyr: 'Хадиджа', lat: 'Khadija', variants: { TUR: 'Hatice', AZE: 'Xədicə', FRA: 'Khadidja', DEU: 'Chadidscha' } },
  { ar: 'زينب', cyr: 'Зайнаб', lat: 'Zainab', variants: { TUR: 'Zeynep', AZE: 'Zeynəb' } },
  { ar: 'آمنة', cyr: 'Амина', lat: 'Amina', variants: { TUR: 'Emine', AZE: 'Əminə' } },
  { ar: 'سمية', cyr: 'Сумайя', lat: 'Sumaya', variants: { TUR: 'Sümeyye' } },
  { ar: 'حفصة', cyr: 'Хафса', lat: 'Hafsa' },
  { ar: 'صفية', cyr: 'Сафия', lat: 'Safiya', variants: { TUR: 'Safiye' } },
  { ar: 'أسماء', cyr: 'Асма', lat: 'Asma', variants: { TUR: 'Esma' } },
  { ar: 'ليلى', cyr: 'Лейла', lat: 'Leila', variants: { TUR: 'Leyla', AZE: 'Leyla' } },
  { ar: 'رقية', cyr: 'Рукия', lat: 'Ruqayya', variants: { TUR: 'Rukiye' } },
  { ar: 'سارة', cyr: 'Сара', lat: 'Sara' },
  { ar: 'نور', cyr: 'Нур', lat: 'Nur' },
  { ar: 'هاجر', cyr: 'Хаджар', lat: 'Hajar', variants: { TUR: 'Hacer' } },
];

export const MALE: readonly GivenName[] = [
  { ar: 'محمد', cyr: 'Мухаммад', lat: 'Muhammad', variants: { TUR: 'Muhammed', AZE: 'Məhəmməd', DEU: 'Mohammed', FRA: 'Mohamed', RUS: 'Магомед' } },
  { ar: 'أحمد', cyr: 'Ахмад', lat: 'Ahmad', variants: { TUR: 'Ahmet', AZE: 'Əhməd', FRA: 'Ahmed', DEU: 'Ahmed', RUS: 'Ахмед' } },
  { ar: 'عمر', cyr: 'Умар', lat: 'Umar', variants: { TUR: 'Ömer', AZE: 'Ömər', FRA: 'Omar', DEU: 'Omar' } },
  { ar: 'علي', cyr: 'Али', lat: 'Ali' },
  { ar: 'يوسف', cyr: 'Юсуф', lat: 'Yusuf', variants: { FRA: 'Youssef', DEU: 'Yusuf', AZE: 'Yusif' } },
  { ar: 'إبراهيم', cyr: 'Ибрагим', lat: 'Ibrahim', variants: { TUR: 'İbrahim' } },
  { ar: 'عبد الله', cyr: 'Абдулла', lat: 'Abdullah', variants: { FRA: 'Abdallah' } },
  { ar: 'حمزة', cyr: 'Хамза', lat: 'Hamza' },
  { ar: 'خالد', cyr: 'Халид', lat: 'Khalid', variants: { TUR: 'Halit', FRA: 'Khaled' } },
  { ar: 'سليمان', cyr: 'Сулейман', lat: 'Sulayman', variants: { TUR: 'Süleyman', AZE: 'Süleyman', FRA: 'Souleymane' } },
  { ar: 'بلال', cyr: 'Билал', lat: 'Bilal' },
  { ar: 'عثمان', cyr: 'Усман', lat: 'Uthman', variants: { TUR: 'Osman', AZE: 'Osman', FRA: 'Othmane' } },
  { ar: 'إسماعيل', cyr: 'Исмаил', lat: 'Ismail', variants: { TUR: 'İsmail', AZE: 'İsmayıl' } },
  { ar: 'موسى', cyr: 'Муса', lat: 'Musa', variants: { FRA: 'Moussa' } },
  { ar: 'عيسى', cyr: 'Иса', lat: 'Isa', variants: { FRA: 'Issa' } },
  { ar: 'مصطفى', cyr: 'Мустафа', lat: 'Mustafa', variants: { FRA: 'Moustafa' } },
];

/** Family names per country; Cyrillic ones are given in their masculine form. */
export const SURNAMES: Readonly<Record<string, readonly string[]>> = {
  RUS: ['Абдуллаев', 'Гаджиев', 'Магомедов', 'Алиев', 'Исаев', 'Расулов', 'Кузнецов', 'Соколов', 'Омаров', 'Ибрагимов', 'Халилов', 'Мусаев'],
  TJK: ['Рахимов', 'Назаров', 'Саидов', 'Каримов', 'Шарипов', 'Давлатов', 'Юсупов', 'Холов', 'Мирзоев', 'Одинаев'],
  KGZ: ['Абдыкеримов', 'Токтогулов', 'Жумабеков', 'Осмонов', 'Турдуев', 'Бакиров', 'Алымбеков', 'Сыдыков'],
  KAZ: ['Нурланов', 'Сейткали', 'Жаксыбеков', 'Ермеков', 'Кайратов', 'Бекмуханов', 'Оспанов', 'Султанов'],
  BLR: ['Ковалёв', 'Новиков', 'Мельников', 'Козлов', 'Лебедев', 'Морозов'],
  UKR: ['Шевченко', 'Бондаренко', 'Ткаченко', 'Коваленко', 'Кравченко', 'Олійник', 'Мельник', 'Бойко'],
  AZE: ['Məmmədov', 'Əliyev', 'Həsənov', 'Hüseynov', 'Quliyev', 'İsmayılov', 'Abbasov', 'Rzayev', 'Cəfərov', 'Babayev'],
  TUR: ['Yılmaz', 'Kaya', 'Demir', 'Şahin', 'Çelik', 'Yıldız', 'Aydın', 'Öztürk', 'Arslan', 'Doğan', 'Kılıç', 'Aslan'],
  DEU: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Becker', 'Hoffmann', 'Schäfer', 'Koch', 'Richter'],
  FRA: ['Martin', 'Bernard', 'Dubois', 'Moreau', 'Laurent', 'Lefèvre', 'Girard', 'Bonnet', 'Mercier', 'Rousseau'],
  UZB: ['Karimov', 'Rashidov', 'Tursunov', 'Yusupov', 'Abdullayev', 'Ismoilov', 'Nazarov', 'Qodirov', 'Ergashev', 'Mirzayev'],
  GEO: ['Beridze', 'Kapanadze', 'Gelashvili', 'Maisuradze', 'Giorgadze', 'Lomidze', 'Tsiklauri', 'Bolkvadze'],
  FIN: ['Korhonen', 'Virtanen', 'Mäkinen', 'Nieminen', 'Mäkelä', 'Hämäläinen', 'Laine', 'Heikkinen'],
  TTO: ['Mohammed', 'Ali', 'Baptiste', 'Charles', 'Joseph', 'Ramdass', 'Williams', 'Khan'],
};

/** Countries whose registries write names in Cyrillic. */
export const CYRILLIC_COUNTRIES = new Set(['RUS', 'TJK', 'KGZ', 'KAZ', 'BLR', 'UKR']);

/** The feminine form of a Cyrillic surname (Иванов → Иванова); other forms are kept. */
export function feminineSurname(surname: string, country: string): string {
  if (!CYRILLIC_COUNTRIES.has(country)) return surname;
  if (/(ов|ев|ёв|ин)$/.test(surname)) return `${surname}а`;
  if (surname.endsWith('ий')) return `${surname.slice(0, -2)}ая`;
  return surname;
}

export function givenIn(name: GivenName, country: string): string {
  const variant = name.variants?.[country];
  if (variant) return variant;
  return CYRILLIC_COUNTRIES.has(country) ? name.cyr : name.lat;
}
