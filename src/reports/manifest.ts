import { PdfReport } from './pdf.ts';

export interface ManifestPassenger {
  /** The name as recorded, in its script (Arabic, Cyrillic, Latin). */
  readonly displayName: string;
  readonly latinName: string;
  readonly sex: string;
  readonly birthDate: string;
  readonly child: boolean;
  readonly caseReference: string | null;
  readonly escort: string | null;
  /** JPEG or PNG bytes, only when the caller's role may see photos (identity). */
  readonly photo: Buffer | null;
}

export interface ManifestInput {
  readonly reference: string;
  readonly kind: 'repatriation' | 'transfer';
  readonly mode: 'air' | 'land';
  readonly status: string;
  /** The home country of a repatriation: English and Arabic names. */
  readonly country: { readonly code: string; readonly en: string; readonly ar: string } | null;
  readonly fromPlace: string;
  readonly toPlace: string;
  readonly carrier: string | null;
  readonly flightNumber: string | null;
  readonly departureDate: string;
  readonly capacity: number;
  readonly passengers: readonly ManifestPassenger[];
  readonly escorts: readonly { readonly name: string; readonly role: string; readonly organisation: string | null }[];
  /** The caller's role sees photos: a photo column is printed. */
  readonly withPhotos: boolean;
  readonly printedAt: Date;
}

const SEX: Readonly<Record<string, string>> = { female: 'F / أنثى', male: 'M / ذكر', unknown: '?' };
const ESCORT_ROLE: Readonly<Record<string, string>> = {
  official: 'Official / مسؤول',
  medical: 'Medical / طبي',
  child_protection: 'Child protection / حماية الطفل',
  security: 'Security / أمن',
  interpreter: 'Interpreter / مترجم',
  other: 'Other / أخرى',
};
const STATUS: Readonly<Record<string, string>> = {
  planned: 'Planned / مخطط',
  manifest_locked: 'Manifest locked / القائمة مقفلة',
  departed: 'Departed / غادرت',
  completed: 'Completed / اكتملت',
  cancelled: 'Cancelled / ألغيت',
};

/**
 * The printable manifest of a movement, in English and Arabic: the header (reference, route,
 * carrier and flight, date, counts), one row per passenger (the name as recorded — Arabic
 * shaped and right to left — its Latin rendering, sex, date of birth, child or adult, case,
 * escort, and the photo where the role may see it), the escorts, and the signature lines of
 * the handover. Column headers are bilingual. See docs/decisions/0020.
 */
export async function renderManifest(input: ManifestInput): Promise<Buffer> {
  const children = input.passengers.filter((p) => p.child).length;
  const adults = input.passengers.length - children;
  const route = `${input.fromPlace} — ${input.toPlace}`;
  const report = new PdfReport({
    title: `Manifest ${input.reference} — ${input.departureDate}`,
    landscape: true,
    createdAt: input.printedAt,
    footer: `Manifest ${input.reference} · printed ${input.printedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC · confidential`,
  });
  const what = input.kind === 'repatriation' ? `Repatriation to ${input.country?.en ?? input.country?.code ?? ''}` : 'Transfer between holding authorities';
  const whatAr = input.kind === 'repatriation' ? `إعادة إلى ${input.country?.ar ?? ''}` : 'نقل بين جهات الاحتجاز';
  report.heading(`Passenger manifest ${input.reference} — ${what}`, 15);
  report.heading(`قائمة المسافرين، ${whatAr}`, 13);
  report.facts(
    [
      ['Movement / الرحلة', input.reference],
      ['Route / المسار', `${route}, ${input.mode === 'air' ? 'by air / جوا' : 'by land / برا'}`],
      ['Carrier, flight / الناقل ورقم الرحلة', [input.carrier, input.flightNumber].filter(Boolean).join(' · ') || '—'],
      ['Date of departure / تاريخ المغادرة', input.departureDate],
      ['Status / الحالة', STATUS[input.status] ?? input.status],
      ['Passengers', `${input.passengers.length} (children ${children}, adults ${adults}) · escorts ${input.escorts.length} · seats ${input.capacity}`],
      ['المسافرون', `${input.passengers.length} مسافرين، منهم ${children} أطفال و${adults} بالغين، ${input.escorts.length} مرافقين، ${input.capacity} مقعدا`],
    ],
    9.5,
  );
  const columns = [
    { header: '#', width: 3, align: 'left' as const },
    ...(input.withPhotos ? [{ header: 'Photo / صورة', width: 7, align: 'left' as const }] : []),
    { header: 'Name as recorded / الاسم كما سجل', width: 20 },
    { header: 'Latin rendering / بالحروف اللاتينية', width: 17, align: 'left' as const },
    { header: 'Sex / الجنس', width: 7, align: 'left' as const },
    { header: 'Born / الميلاد', width: 9, align: 'left' as const },
    { header: 'Child / طفل', width: 8, align: 'left' as const },
    { header: 'Case / الملف', width: 11, align: 'left' as const },
    { header: 'Escort / المرافق', width: 14 },
  ];
  const rows = input.passengers.map((p, i) => [
    String(i + 1),
    ...(input.withPhotos ? [p.photo ? '' : '—'] : []),
    p.displayName,
    p.latinName,
    SEX[p.sex] ?? p.sex,
    p.birthDate,
    p.child ? 'child / طفل' : 'adult / بالغ',
    p.caseReference ?? '—',
    p.escort ?? '—',
  ]);
  report.table(columns, rows, 8.5, input.withPhotos ? { rowHeight: 34, imageColumn: 1, images: input.passengers.map((p) => p.photo) } : {});
  if (input.passengers.length === 0) report.paragraph('No passengers on the manifest. / لا يوجد مسافرون في القائمة.', 10);
  report.heading('Escorts / المرافقون', 11);
  if (input.escorts.length === 0) report.paragraph('No escorts. / لا يوجد مرافقون.', 9);
  else {
    report.table(
      [
        { header: '#', width: 3, align: 'left' },
        { header: 'Name / الاسم', width: 30 },
        { header: 'Role / الصفة', width: 20, align: 'left' },
        { header: 'Organisation / الجهة', width: 30 },
      ],
      input.escorts.map((e, i) => [String(i + 1), e.name, ESCORT_ROLE[e.role] ?? e.role, e.organisation ?? '—']),
      8.5,
    );
  }
  report.paragraph('Handed over by the host state and received for the home country, each person as listed above. / تم التسليم من الدولة المضيفة والاستلام لصالح الدولة الأصلية، كل شخص كما هو مدرج أعلاه.', 9, { color: '#333333' });
  report.signatures(['Handed over by, name and signature / المسلم، الاسم والتوقيع', 'Received by, name, authority, signature / المستلم، الاسم والجهة والتوقيع', 'Date and place / التاريخ والمكان']);
  return report.finish();
}
