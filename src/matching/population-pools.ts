/**
 * Name material for the synthetic population (population.ts), beyond the demo's
 * pools (src/demo/name-pools.ts): more given names in their three scripts,
 * surname roots that take each country's endings, and places of birth.
 * Combined at random, they describe no real person.
 */
import type { GivenName } from '../demo/name-pools.ts';

export const MORE_MALE: readonly GivenName[] = [
  { ar: 'حسن', cyr: 'Хасан', lat: 'Hasan', variants: { FRA: 'Hassan', DEU: 'Hassan' } },
  { ar: 'حسين', cyr: 'Хусейн', lat: 'Husayn', variants: { TUR: 'Hüseyin', AZE: 'Hüseyn', FRA: 'Houssein' } },
  { ar: 'محمود', cyr: 'Махмуд', lat: 'Mahmud', variants: { TUR: 'Mahmut', FRA: 'Mahmoud' } },
  { ar: 'كريم', cyr: 'Карим', lat: 'Karim', variants: { TUR: 'Kerim', AZE: 'Kərim' } },
  { ar: 'رحيم', cyr: 'Рахим', lat: 'Rahim', variants: { TUR: 'Rahim' } },
  { ar: 'جمال', cyr: 'Джамал', lat: 'Jamal', variants: { TUR: 'Cemal', AZE: 'Camal', FRA: 'Djamel' } },
  { ar: 'صالح', cyr: 'Салих', lat: 'Salih', variants: { FRA: 'Salah' } },
  { ar: 'طارق', cyr: 'Тарик', lat: 'Tariq', variants: { TUR: 'Tarık', FRA: 'Tarek' } },
  { ar: 'ياسين', cyr: 'Ясин', lat: 'Yasin', variants: { FRA: 'Yassine' } },
  { ar: 'أنس', cyr: 'Анас', lat: 'Anas', variants: { TUR: 'Enes' } },
  { ar: 'زكريا', cyr: 'Закария', lat: 'Zakariya', variants: { TUR: 'Zekeriya', FRA: 'Zakaria' } },
  { ar: 'إلياس', cyr: 'Ильяс', lat: 'Ilyas', variants: { TUR: 'İlyas', FRA: 'Elias' } },
  { ar: 'داود', cyr: 'Давуд', lat: 'Dawud', variants: { TUR: 'Davut', FRA: 'Daoud' } },
  { ar: 'يحيى', cyr: 'Яхья', lat: 'Yahya' },
  { ar: 'رسول', cyr: 'Расул', lat: 'Rasul', variants: { AZE: 'Rəsul' } },
  { ar: 'شامل', cyr: 'Шамиль', lat: 'Shamil', variants: { TUR: 'Şamil' } },
  { ar: 'تيمور', cyr: 'Тимур', lat: 'Timur', variants: { TUR: 'Timur' } },
  { ar: 'رستم', cyr: 'Рустам', lat: 'Rustam', variants: { TUR: 'Rüstem', AZE: 'Rüstəm' } },
  { ar: 'فريد', cyr: 'Фарид', lat: 'Farid', variants: { TUR: 'Ferit' } },
  { ar: 'نبيل', cyr: 'Набиль', lat: 'Nabil' },
  { ar: 'عادل', cyr: 'Адиль', lat: 'Adil', variants: { TUR: 'Adil', FRA: 'Adel' } },
  { ar: 'سعيد', cyr: 'Саид', lat: 'Said', variants: { TUR: 'Sait', FRA: 'Saïd' } },
  { ar: 'منصور', cyr: 'Мансур', lat: 'Mansur', variants: { FRA: 'Mansour' } },
  { ar: 'نصر', cyr: 'Наср', lat: 'Nasr' },
];

export const MORE_FEMALE: readonly GivenName[] = [
  { ar: 'سلمى', cyr: 'Салма', lat: 'Salma', variants: { TUR: 'Selma' } },
  { ar: 'رحمة', cyr: 'Рахма', lat: 'Rahma' },
  { ar: 'جميلة', cyr: 'Джамиля', lat: 'Jamila', variants: { TUR: 'Cemile', FRA: 'Djamila' } },
  { ar: 'ملك', cyr: 'Малика', lat: 'Malika', variants: { TUR: 'Melike' } },
  { ar: 'دينا', cyr: 'Дина', lat: 'Dina' },
  { ar: 'ياسمين', cyr: 'Ясмина', lat: 'Yasmin', variants: { TUR: 'Yasemin', FRA: 'Yasmine' } },
  { ar: 'حليمة', cyr: 'Халима', lat: 'Halima', variants: { TUR: 'Halime' } },
  { ar: 'نادية', cyr: 'Надия', lat: 'Nadia', variants: { TUR: 'Nadiye' } },
  { ar: 'لينا', cyr: 'Лина', lat: 'Lina' },
  { ar: 'أمينة', cyr: 'Аминат', lat: 'Aminat' },
  { ar: 'زهرة', cyr: 'Зухра', lat: 'Zuhra', variants: { TUR: 'Zehra', AZE: 'Zəhra', FRA: 'Zohra' } },
  { ar: 'سعاد', cyr: 'Суад', lat: 'Suad', variants: { FRA: 'Souad' } },
  { ar: 'كلثوم', cyr: 'Кульсум', lat: 'Kulsum', variants: { TUR: 'Gülsüm' } },
  { ar: 'شريفة', cyr: 'Шарифа', lat: 'Sharifa', variants: { TUR: 'Şerife' } },
  { ar: 'ريحانة', cyr: 'Райхана', lat: 'Rayhana', variants: { TUR: 'Reyhan' } },
  { ar: 'منيرة', cyr: 'Мунира', lat: 'Munira', variants: { FRA: 'Mounira' } },
  { ar: 'نسرين', cyr: 'Насрин', lat: 'Nasrin', variants: { TUR: 'Nesrin' } },
  { ar: 'آسيا', cyr: 'Асия', lat: 'Asiya', variants: { TUR: 'Asiye' } },
  { ar: 'ديلنوزا', cyr: 'Дилноза', lat: 'Dilnoza' },
  { ar: 'غولنارا', cyr: 'Гульнара', lat: 'Gulnara', variants: { TUR: 'Gülnar' } },
];

/** Roots of surnames (Cyrillic), each taking -ов/-ев (-ова/-ева), as most Caucasian and Central Asian surnames do. */
export const SURNAME_ROOTS: readonly string[] = [
  'Абдулла', 'Абдурахман', 'Ахмед', 'Алиш', 'Ашур', 'Баба', 'Бакир', 'Батыр', 'Бекмурат', 'Гаджи', 'Гасан', 'Гусейн', 'Давлат', 'Джабар',
  'Джафар', 'Ибрагим', 'Идрис', 'Исмаил', 'Кадыр', 'Камал', 'Карим', 'Касым', 'Курбан', 'Магомед', 'Махмуд', 'Мирза', 'Мумин', 'Мурад',
  'Мустафа', 'Назар', 'Нурмат', 'Омар', 'Осман', 'Рахим', 'Рашид', 'Расул', 'Рустам', 'Сабир', 'Саид', 'Салим', 'Султан', 'Тагир',
  'Тимур', 'Турсун', 'Умар', 'Усман', 'Файзулл', 'Хабиб', 'Халил', 'Хасан', 'Шамил', 'Шариф', 'Эргаш', 'Юнус', 'Юсуп', 'Якуб',
  'Абдулкерим', 'Алимардан', 'Азиз', 'Бахтияр', 'Валид', 'Газиз', 'Джамал', 'Зариф', 'Ильяс', 'Мансур', 'Наби', 'Сафар', 'Гафур',
];

/** Surnames of the countries that do not use the -ov endings (Latin script). */
export const LATIN_SURNAMES: Readonly<Record<string, readonly string[]>> = {
  TUR: ['Yılmaz', 'Kaya', 'Demir', 'Şahin', 'Çelik', 'Yıldız', 'Aydın', 'Öztürk', 'Arslan', 'Doğan', 'Kılıç', 'Aslan', 'Çetin', 'Kara', 'Koç', 'Kurt', 'Özdemir', 'Şimşek', 'Polat', 'Erdoğan', 'Güneş', 'Bulut', 'Keskin', 'Ünal', 'Turan', 'Aksoy', 'Yavuz', 'Bozkurt', 'Özkan', 'Tekin'],
  DEU: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Becker', 'Hoffmann', 'Schäfer', 'Koch', 'Richter', 'Klein', 'Wolf', 'Neumann', 'Schwarz', 'Zimmermann', 'Braun', 'Krüger', 'Hofmann', 'Hartmann', 'Lange'],
  FRA: ['Martin', 'Bernard', 'Dubois', 'Moreau', 'Laurent', 'Lefèvre', 'Girard', 'Bonnet', 'Mercier', 'Rousseau', 'Benali', 'Haddad', 'Mansouri', 'Belkacem', 'Bouzid', 'Chérif', 'Amrani', 'Bensaïd', 'Khelifi', 'Saadi'],
  GEO: ['Beridze', 'Kapanadze', 'Gelashvili', 'Maisuradze', 'Giorgadze', 'Lomidze', 'Tsiklauri', 'Bolkvadze', 'Kvaratskhelia', 'Nozadze', 'Mikeladze', 'Abashidze'],
  FIN: ['Korhonen', 'Virtanen', 'Mäkinen', 'Nieminen', 'Mäkelä', 'Hämäläinen', 'Laine', 'Heikkinen', 'Koskinen', 'Järvinen', 'Lehtonen', 'Saarinen'],
  TTO: ['Mohammed', 'Ali', 'Baptiste', 'Charles', 'Joseph', 'Ramdass', 'Williams', 'Khan', 'Hosein', 'Persad', 'Rampersad', 'Thomas'],
};

/** Places of birth per country: as written at home, and in Latin letters. */
export const PLACES: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  RUS: [['Махачкала', 'Makhachkala'], ['Грозный', 'Grozny'], ['Москва', 'Moscow'], ['Казань', 'Kazan'], ['Дербент', 'Derbent'], ['Нальчик', 'Nalchik'], ['Уфа', 'Ufa'], ['Хасавюрт', 'Khasavyurt']],
  TJK: [['Душанбе', 'Dushanbe'], ['Худжанд', 'Khujand'], ['Куляб', 'Kulob'], ['Бохтар', 'Bokhtar'], ['Истаравшан', 'Istaravshan']],
  KGZ: [['Бишкек', 'Bishkek'], ['Ош', 'Osh'], ['Джалал-Абад', 'Jalal-Abad'], ['Каракол', 'Karakol']],
  KAZ: [['Алматы', 'Almaty'], ['Шымкент', 'Shymkent'], ['Астана', 'Astana'], ['Актобе', 'Aktobe'], ['Тараз', 'Taraz']],
  UZB: [['Ташкент', 'Tashkent'], ['Андижан', 'Andijan'], ['Наманган', 'Namangan'], ['Фергана', 'Fergana'], ['Самарканд', 'Samarkand']],
  BLR: [['Минск', 'Minsk'], ['Гомель', 'Gomel'], ['Брест', 'Brest']],
  UKR: [['Київ', 'Kyiv'], ['Харків', 'Kharkiv'], ['Одеса', 'Odesa'], ['Дніпро', 'Dnipro']],
  AZE: [['Bakı', 'Baku'], ['Gəncə', 'Ganja'], ['Sumqayıt', 'Sumgait'], ['Zaqatala', 'Zaqatala']],
  TUR: [['İstanbul', 'Istanbul'], ['Ankara', 'Ankara'], ['Gaziantep', 'Gaziantep'], ['Konya', 'Konya'], ['Şanlıurfa', 'Sanliurfa'], ['Adana', 'Adana']],
  DEU: [['Berlin', 'Berlin'], ['Hamburg', 'Hamburg'], ['München', 'Munich'], ['Köln', 'Cologne'], ['Frankfurt', 'Frankfurt']],
  FRA: [['Paris', 'Paris'], ['Marseille', 'Marseille'], ['Lyon', 'Lyon'], ['Toulouse', 'Toulouse'], ['Strasbourg', 'Strasbourg']],
  GEO: [['Tbilisi', 'Tbilisi'], ['Batumi', 'Batumi'], ['Pankisi', 'Pankisi']],
  FIN: [['Helsinki', 'Helsinki'], ['Turku', 'Turku'], ['Tampere', 'Tampere']],
  TTO: [['Port of Spain', 'Port of Spain'], ['Chaguanas', 'Chaguanas'], ['San Fernando', 'San Fernando']],
};

/** Where children were born in detention or in the conflict zone, as the Iraqi file writes it and in Latin. */
export const CONFLICT_PLACES: readonly (readonly [string, string])[] = [
  ['الموصل', 'Mosul'], ['تلعفر', 'Tal Afar'], ['الرقة', 'Raqqa'], ['بغداد', 'Baghdad'], ['الهول', 'Al-Hol'], ['دير الزور', 'Deir ez-Zor'],
];
