/**
 * exceljs, loaded at the first spreadsheet rather than at every start: it is the heaviest module
 * the server would otherwise load (≈ 0.3 s of a process's start-up), and most processes never
 * write or read a workbook.
 */
export async function loadExcelJs(): Promise<typeof import('exceljs')> {
  const module = await import('exceljs');
  return (module as { default?: typeof import('exceljs') }).default ?? module;
}

/**
 * A cell as text that a spreadsheet will not run: values starting with = + - @
 * or a control character get a leading apostrophe (OWASP's advice against
 * formula injection).
 */
export function safeCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const quote = (v: unknown) => {
    const text = safeCell(v);
    return /[",\n\r;]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  // A byte-order mark so that spreadsheet programs read the Arabic and Cyrillic as UTF-8.
  return `\uFEFF${[header, ...rows].map((r) => r.map(quote).join(',')).join('\r\n')}\r\n`;
}

/**
 * A sheet with a bold header row. Every cell is formula-safe text, except a Date: it is written as a
 * date cell, in the number format given for its column (e.g. "yyyy-mm-dd").
 */
export async function toXlsx(sheetName: string, header: readonly string[], rows: readonly (readonly unknown[])[], dateFormats: readonly (string | undefined)[] = []): Promise<Buffer> {
  const ExcelJS = await loadExcelJs();
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  sheet.addRow([...header]).font = { bold: true };
  for (const row of rows) {
    const added = sheet.addRow(row.map((v) => (v instanceof Date ? v : safeCell(v))));
    row.forEach((v, i) => {
      const format = dateFormats[i];
      if (format && v instanceof Date) added.getCell(i + 1).numFmt = format;
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
