import { loadExcelJs, safeCell, toCsv } from '../registry/export.ts';
import { PdfReport } from './pdf.ts';

/** A table of figures as it goes into a file: a title, a header and rows of text. */
export interface FigureSheet {
  /** Short and unique: the sheet's name and the first CSV column. */
  readonly id: string;
  readonly title: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
}

/** All sheets in one CSV: each row starts with its sheet's id; each sheet's header row is repeated in place. */
export function figuresCsv(sheets: readonly FigureSheet[]): string {
  const rows: (string | number)[][] = [];
  for (const s of sheets) {
    rows.push(['table', ...s.header]);
    for (const r of s.rows) rows.push([s.id, ...r]);
  }
  const [header, ...rest] = rows.length > 0 ? rows : [['table']];
  return toCsv(header as string[], rest);
}

/** One worksheet per table, the title in its first row. */
export async function figuresXlsx(sheets: readonly FigureSheet[], note: string): Promise<Buffer> {
  const ExcelJS = await loadExcelJs();
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Homeward';
  for (const s of sheets) {
    const sheet = workbook.addWorksheet(s.id.slice(0, 31));
    sheet.addRow([safeCell(s.title)]).font = { bold: true, size: 13 };
    sheet.addRow([safeCell(note)]).font = { italic: true, color: { argb: 'FF555555' } };
    sheet.addRow([]);
    sheet.addRow(s.header.map(safeCell)).font = { bold: true };
    // Numbers stay numbers; published marks ("<5", "x") stay text.
    for (const r of s.rows) sheet.addRow(r.map((v) => (typeof v === 'number' ? v : safeCell(v))));
    sheet.columns.forEach((c) => {
      c.width = 18;
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A printable report: a heading, the note (as-of date, suppression rule), optional paragraphs (the statement in several languages), each table. */
export async function figuresPdf(input: { title: string; note: string; paragraphs?: readonly string[]; sheets: readonly FigureSheet[]; createdAt: Date }): Promise<Buffer> {
  const report = new PdfReport({ title: input.title, createdAt: input.createdAt, footer: `${input.title} · ${input.note}` });
  report.heading(input.title, 16);
  report.paragraph(input.note, 9, { color: '#333333' });
  for (const p of input.paragraphs ?? []) report.paragraph(p, 10);
  for (const s of input.sheets) {
    report.heading(s.title, 12);
    report.table(
      s.header.map((h, i) => ({ header: h, width: i === 0 ? 3 : 1.5, align: i === 0 ? ('start' as const) : ('left' as const) })),
      s.rows.map((r) => r.map(String)),
      9,
    );
  }
  return report.finish();
}
