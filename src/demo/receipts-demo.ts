import { createHash } from 'node:crypto';
import type { Tx } from '../db/database.ts';

export interface DemoReceipt {
  readonly reference: string;
  readonly flight: string;
  readonly receivedAt: Date;
  readonly authority: string;
  /** The Latin rendering of each person received. */
  readonly people: readonly string[];
}

/** Printable ASCII only (the standard Helvetica of a minimal PDF), with the string delimiters escaped. */
const ascii = (text: string) =>
  text
    .replace(/[’‘]/g, "'")
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/([\\()])/g, '\\$1');

/** A one-page PDF of text lines, written by hand: valid, tiny, and free to make (no fonts to embed). */
export function tinyPdf(lines: readonly string[]): Buffer {
  const text = lines.map((l, i) => `${i === 0 ? '' : 'T* '}(${ascii(l)}) Tj`).join('\n');
  const stream = `BT /F1 10 Tf 14 TL 50 790 Td\n${text}\nET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/**
 * The signed handover receipt of a past demo flight, as the scan the receiving official would
 * return: one receipt for the whole group, kept once in `files` and attached to each of its
 * handovers. Fictional, like everything in the demo; a hand-written PDF rather than a report,
 * so that loading the demo stays quick.
 */
export async function storeDemoReceipt(tx: Tx, r: DemoReceipt): Promise<string> {
  const pdf = tinyPdf([
    `Handover receipt - movement ${r.reference}, flight ${r.flight}`,
    `Received on ${r.receivedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC for: ${r.authority}`,
    `The ${r.people.length} persons listed below were received for the home country.`,
    '',
    ...r.people.map((name, i) => `${i + 1}. ${name}`),
    '',
    'Signed: the receiving official (demo data, fictional)',
  ]);
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  await tx.insertInto('files').values({ sha256, content_type: 'application/pdf', size_bytes: pdf.length, data: pdf }).onConflict((oc) => oc.column('sha256').doNothing()).execute();
  return sha256;
}
