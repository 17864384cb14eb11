import { type BirthDate, ageOnDisplay, displayBirthDate, type IsoDate } from '../domain/birth-date.ts';
import type { NationalHeld } from '../repositories/nationals.ts';
import { PdfReport } from './pdf.ts';

export interface NationalsListInput {
  readonly countryCode: string;
  /** The country's names: English for the text, Arabic for the host state's heading. */
  readonly countryName: { readonly en: string; readonly ar: string };
  readonly sentOn: IsoDate;
  readonly people: readonly NationalHeld[];
  readonly note?: string | null;
}

const SEX: Readonly<Record<string, string>> = { female: 'F', male: 'M' };

/**
 * The list of a country's nationals held, as sent to its mission: names as recorded
 * (Arabic, Cyrillic or Latin) and their Latin rendering, sex, date of birth as the
 * registry shows it, age on the day sent, and the facility. Nothing else leaves.
 */
export async function renderNationalsList(input: NationalsListInput): Promise<Buffer> {
  const children = input.people.filter((p) => p.child).length;
  const report = new PdfReport({
    title: `Nationals of ${input.countryName.en} held — ${input.sentOn}`,
    landscape: true,
    createdAt: new Date(`${input.sentOn}T00:00:00Z`),
    footer: `Confidential: for the mission of ${input.countryName.en} (${input.countryCode}) · sent ${input.sentOn}`,
  });
  report.heading(`Nationals of ${input.countryName.en} held in custody`, 16);
  report.heading(`قائمة رعايا ${input.countryName.ar} المحتجزين`, 13);
  report.facts([
    ['Country', `${input.countryName.en} (${input.countryCode})`],
    ['Date sent', input.sentOn],
    ['People', String(input.people.length)],
    ['Of whom children', `${children} (could be under 18 on ${input.sentOn})`],
  ]);
  if (input.note) report.paragraph(input.note, 10);
  report.paragraph(
    'Names are given as recorded, in the script they were recorded in, with their Latin rendering. ' +
      'An uncertain date of birth is shown as the registry holds it (a year, "about", or a range), and the age as the range it allows. ' +
      'Please confirm each person’s nationality and identity through the usual channel.',
    9,
    { color: '#333333' },
  );
  report.table(
    [
      { header: '#', width: 3, align: 'left' },
      { header: 'Name as recorded', width: 20 },
      { header: 'Latin rendering', width: 18, align: 'left' },
      { header: 'Other names', width: 17 },
      { header: 'Sex', width: 4, align: 'left' },
      { header: 'Date of birth', width: 11, align: 'left' },
      { header: 'Age', width: 5, align: 'left' },
      { header: 'Facility', width: 18 },
    ],
    input.people.map((p, i) => {
      const birth: BirthDate = { precision: p.birthPrecision as BirthDate['precision'], earliest: p.birthEarliest, latest: p.birthLatest, text: p.birthText ?? '' };
      return [String(i + 1), p.displayName, p.latinName, p.otherNames.join(' · '), SEX[p.sex] ?? p.sex, displayBirthDate(birth), ageOnDisplay(birth, input.sentOn), p.facility ?? ''];
    }),
    8.5,
  );
  if (input.people.length === 0) report.paragraph('No nationals of this country are held today.', 10);
  return report.finish();
}
