import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import bidiModule, { type Bidi } from 'bidi-js';
import type PDFKitDocument from 'pdfkit';

/** pdfkit and fontkit (≈ 0.15 s to load), loaded at the first PDF rather than at every start. */
const requireHere = createRequire(import.meta.url);
let pdfkit: typeof PDFKitDocument | undefined;
const PDFDocument = (): typeof PDFKitDocument => (pdfkit ??= requireHere('pdfkit') as typeof PDFKitDocument);

/**
 * Printable reports (a country's list of nationals, a flight manifest): A4 PDFs with
 * embedded Noto fonts, in which names keep the script they were recorded in.
 *
 * pdfkit lays text out with fontkit, which shapes Arabic (initial, medial, final and
 * isolated forms, ligatures) and returns an Arabic run's glyphs already in visual
 * (right-to-left) order. What neither does is the Unicode bidirectional algorithm:
 * pdfkit places the words of a string left to right, and a line that mixes scripts
 * needs its runs reordered. So every string is cut here into runs of one embedding
 * level (bidi-js, UAX #9) and one font, the runs are put in visual order (rule L2),
 * and each run is drawn at its own x in logical order for fontkit to shape. An RTL run
 * is laid out as one piece (passing `features` makes pdfkit skip its word splitting),
 * so fontkit reverses all of it, spaces and words included. See docs/decisions/0017.
 */

// bidi-js is CommonJS whose typings declare an ES default export: take the factory either way.
const bidiFactory = ((bidiModule as unknown as { default?: () => Bidi }).default ?? bidiModule) as unknown as () => Bidi;
const bidi = bidiFactory();

/** Where Debian's fonts-noto-core puts the fonts; HOMEWARD_FONT_DIR overrides it. */
export const DEFAULT_FONT_DIR = '/usr/share/fonts/truetype/noto';

const FONT_FILES = {
  sans: 'NotoSans-Regular.ttf',
  'sans-bold': 'NotoSans-Bold.ttf',
  arabic: 'NotoNaskhArabic-Regular.ttf',
  'arabic-bold': 'NotoNaskhArabic-Bold.ttf',
} as const;
type FontName = keyof typeof FONT_FILES;

export function fontDir(): string {
  return process.env.HOMEWARD_FONT_DIR ?? DEFAULT_FONT_DIR;
}

/** The font files, checked: a report without its fonts would print boxes instead of names. */
export function fontPaths(dir = fontDir()): Record<FontName, string> {
  const paths = Object.fromEntries(Object.entries(FONT_FILES).map(([name, file]) => [name, join(dir, file)])) as Record<FontName, string>;
  const missing = Object.values(paths).filter((p) => !existsSync(p));
  if (missing.length > 0) {
    throw new Error(`the PDF fonts are missing (${missing.join(', ')}): install Debian's fonts-noto-core, or set HOMEWARD_FONT_DIR`);
  }
  return paths;
}

// ---- bidi and font runs --------------------------------------------------------------------

const ARABIC = /[\u0600-\u06FF\u0750-\u077F\u0870-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/;
// What Noto Naskh Arabic has of the neutrals (checked with fontkit: space . , : ! « »); "( ) [ ] - / ; ? — ·" it lacks, and those go to Noto Sans.
const ARABIC_FONT_NEUTRALS = /^[\s.,:!«»]$/;
const STRONG_RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;

export interface TextRun {
  /** In logical order: fontkit shapes it and, for Arabic, returns it right to left. */
  readonly text: string;
  readonly rtl: boolean;
  readonly font: 'latin' | 'arabic';
}

/**
 * A one-line string as runs in visual order (left to right on the page). `base` is the
 * paragraph direction: 'auto' takes it from the first strong character (rule P2).
 */
export function visualRuns(text: string, base: 'ltr' | 'rtl' | 'auto' = 'auto'): { runs: TextRun[]; rtl: boolean } {
  if (text.length === 0) return { runs: [], rtl: false };
  const { levels, paragraphs } = bidi.getEmbeddingLevels(text, base);
  const paragraphRtl = ((paragraphs[0]?.level ?? 0) & 1) === 1;
  // Characters by level and font; a neutral (space, punctuation) joins the run before it.
  const chars = [...text];
  const logical: { text: string; level: number; font: TextRun['font'] }[] = [];
  let offset = 0;
  for (const ch of chars) {
    const level = levels[offset] ?? 0;
    offset += ch.length;
    const last = logical[logical.length - 1];
    // A neutral joins the run before it, in its font, if that font has it (Noto Naskh Arabic has
    // spaces and common punctuation, not "·" or "—"): else it is drawn in Noto Sans.
    const font: TextRun['font'] = ARABIC.test(ch) ? 'arabic' : /[\p{L}\p{N}]/u.test(ch) ? 'latin' : last?.font === 'arabic' && ARABIC_FONT_NEUTRALS.test(ch) ? 'arabic' : 'latin';
    if (last && last.level === level && last.font === font) last.text += ch;
    // A run of neutrals takes the font of the letters after it, unless that font lacks one of them.
    else if (last && last.level === level && !/[\p{L}\p{N}]/u.test(last.text) && (font !== 'arabic' || [...last.text].every((c) => ARABIC_FONT_NEUTRALS.test(c)))) {
      last.text += ch;
      last.font = font;
    } else logical.push({ text: ch, level, font });
  }
  // L2: from the highest level down to the lowest odd one, reverse every sequence of runs at that level or above.
  const order = logical.map((_, i) => i);
  const maxLevel = Math.max(...logical.map((r) => r.level));
  const minOdd = Math.min(...logical.map((r) => r.level).filter((l) => l % 2 === 1), Number.POSITIVE_INFINITY);
  for (let level = maxLevel; level >= minOdd && level > 0; level--) {
    let i = 0;
    while (i < order.length) {
      if ((logical[order[i] as number]?.level ?? 0) >= level) {
        let j = i;
        while (j < order.length && (logical[order[j] as number]?.level ?? 0) >= level) j++;
        order.splice(i, j - i, ...order.slice(i, j).reverse());
        i = j;
      } else i++;
    }
  }
  const runs = order.map((i) => {
    const r = logical[i] as (typeof logical)[number];
    const rtl = r.level % 2 === 1;
    // fontkit reverses only a run whose script is right-to-left; a run of neutrals
    // (a dash, brackets) at an RTL level is reversed and mirrored here instead.
    const text = rtl && !STRONG_RTL.test(r.text) ? [...r.text].reverse().map((c) => bidi.getMirroredCharacter(c) ?? c).join('') : r.text;
    return { text, rtl, font: r.font };
  });
  return { runs, rtl: paragraphRtl };
}

// ---- the document --------------------------------------------------------------------------

export interface PdfColumn {
  readonly header: string;
  /** A share of the usable width; the columns' shares are scaled to fill it. */
  readonly width: number;
  /** Render this column's text at its paragraph direction's start (default) or always left. */
  readonly align?: 'start' | 'left';
}

export interface PdfOptions {
  readonly title: string;
  readonly author?: string;
  readonly landscape?: boolean;
  /** Written into the document's metadata; default now. */
  readonly createdAt?: Date;
  /** A line at the foot of every page, e.g. "Confidential — shared with the Embassy of Tajikistan". */
  readonly footer?: string;
}

const MARGIN = 40;

/**
 * A PDF written top to bottom: headings, paragraphs, key–value lines and tables, every
 * string drawn through the bidi and font runs above. `finish()` gives the bytes.
 */
export class PdfReport {
  private readonly doc: PDFKit.PDFDocument;
  private readonly chunks: Buffer[] = [];
  private readonly done: Promise<Buffer>;
  private y = MARGIN;
  private pages = 1;

  constructor(private readonly options: PdfOptions) {
    const fonts = fontPaths();
    const createdAt = options.createdAt ?? new Date();
    const Document = PDFDocument();
    this.doc = new Document({
      size: 'A4',
      layout: options.landscape ? 'landscape' : 'portrait',
      margin: MARGIN,
      autoFirstPage: true,
      bufferPages: true,
      info: { Title: options.title, Author: options.author ?? 'Homeward', Producer: 'Homeward', Creator: 'Homeward', CreationDate: createdAt, ModDate: createdAt },
      lang: 'en',
    } as PDFKit.PDFDocumentOptions);
    for (const [name, path] of Object.entries(fonts)) this.doc.registerFont(name, path);
    this.doc.on('data', (chunk: Buffer) => this.chunks.push(chunk));
    this.done = new Promise((resolve, reject) => {
      this.doc.on('end', () => resolve(Buffer.concat(this.chunks)));
      this.doc.on('error', reject);
    });
  }

  get width(): number {
    return this.doc.page.width - 2 * MARGIN;
  }

  private get bottom(): number {
    return this.doc.page.height - MARGIN - 18;
  }

  private fontFor(run: TextRun, bold: boolean): FontName {
    return `${run.font === 'arabic' ? 'arabic' : 'sans'}${bold ? '-bold' : ''}` as FontName;
  }

  /** Width of a one-line string at a size, as it will be drawn. */
  measure(text: string, size: number, bold = false): number {
    return visualRuns(text).runs.reduce((sum, run) => sum + this.runWidth(run, size, bold), 0);
  }

  private runWidth(run: TextRun, size: number, bold: boolean): number {
    this.doc.font(this.fontFor(run, bold)).fontSize(size);
    return this.doc.widthOfString(run.text, { features: [] });
  }

  /**
   * One line at (x, y) within `width`: shrunk down to 70% of `size` if it does not fit, then
   * cut with an ellipsis. RTL paragraphs align right unless `align` says left. Returns the size used.
   */
  line(text: string, x: number, y: number, width: number, size: number, options: { bold?: boolean; align?: 'start' | 'left' | 'center'; color?: string } = {}): number {
    const bold = options.bold ?? false;
    let used = size;
    let measured = this.measure(text, used, bold);
    while (measured > width && used > size * 0.7) {
      used -= 0.5;
      measured = this.measure(text, used, bold);
    }
    let shown = text;
    while (measured > width && shown.length > 1) {
      shown = `${[...shown].slice(0, -2).join('')}…`;
      measured = this.measure(shown, used, bold);
    }
    const { runs, rtl } = visualRuns(shown);
    let cursor = x;
    if (options.align === 'center') cursor = x + (width - measured) / 2;
    else if (rtl && options.align !== 'left') cursor = x + width - measured;
    this.doc.fillColor(options.color ?? '#111111');
    for (const run of runs) {
      this.doc.font(this.fontFor(run, bold)).fontSize(used);
      // Arabic fonts have tall ascenders: keep every run on one baseline.
      const baseline = y + used * 0.95;
      this.doc.text(run.text, cursor, baseline, { lineBreak: false, features: [], baseline: 'alphabetic' });
      cursor += this.doc.widthOfString(run.text, { features: [] });
    }
    return used;
  }

  private ensureRoom(height: number): void {
    if (this.y + height <= this.bottom) return;
    this.doc.addPage();
    this.pages += 1;
    this.y = MARGIN;
  }

  heading(text: string, size = 16): this {
    this.ensureRoom(size * 1.8);
    this.line(text, MARGIN, this.y, this.width, size, { bold: true });
    this.y += size * 1.6;
    return this;
  }

  /** Text wrapped to the width, word by word; each line is laid out with bidi on its own. */
  paragraph(text: string, size = 10, options: { color?: string } = {}): this {
    const words = text.split(/\s+/).filter(Boolean);
    let current = '';
    const lines: string[] = [];
    for (const word of words) {
      const next = current ? `${current} ${word}` : word;
      if (current && this.measure(next, size) > this.width) {
        lines.push(current);
        current = word;
      } else current = next;
    }
    if (current) lines.push(current);
    for (const l of lines) {
      this.ensureRoom(size * 1.5);
      this.line(l, MARGIN, this.y, this.width, size, options);
      this.y += size * 1.45;
    }
    this.y += size * 0.5;
    return this;
  }

  /** "Label: value" lines in two columns. */
  facts(pairs: readonly (readonly [string, string])[], size = 10): this {
    const labelWidth = Math.min(170, this.width * 0.35);
    for (const [label, value] of pairs) {
      this.ensureRoom(size * 1.6);
      this.line(label, MARGIN, this.y, labelWidth - 8, size, { bold: true, align: 'left', color: '#444444' });
      this.line(value, MARGIN + labelWidth, this.y, this.width - labelWidth, size, { align: 'left' });
      this.y += size * 1.5;
    }
    this.y += size * 0.6;
    return this;
  }

  /**
   * A table with a header row repeated on every page; each cell is one line (shrunk or cut to fit).
   * `options.images` puts a picture (JPEG or PNG bytes, or null) in column `imageColumn` of each row,
   * fitted into the cell; `options.rowHeight` makes room for it.
   */
  table(columns: readonly PdfColumn[], rows: readonly (readonly string[])[], size = 9, options: { rowHeight?: number; images?: readonly (Buffer | null)[]; imageColumn?: number } = {}): this {
    const total = columns.reduce((s, c) => s + c.width, 0);
    const widths = columns.map((c) => (c.width / total) * this.width);
    const rowHeight = Math.max(size * 2, options.rowHeight ?? 0);
    const pad = 4;
    const header = () => {
      this.ensureRoom(rowHeight * 2);
      this.doc.rect(MARGIN, this.y, this.width, rowHeight).fill('#e8edf3');
      let x = MARGIN;
      columns.forEach((c, i) => {
        this.line(c.header, x + pad, this.y + (rowHeight - size * 1.3) / 2, (widths[i] ?? 0) - 2 * pad, size, { bold: true, align: 'left' });
        x += widths[i] ?? 0;
      });
      this.y += rowHeight;
    };
    header();
    rows.forEach((row, r) => {
      if (this.y + rowHeight > this.bottom) {
        this.doc.addPage();
        this.pages += 1;
        this.y = MARGIN;
        header();
      }
      if (r % 2 === 1) this.doc.rect(MARGIN, this.y, this.width, rowHeight).fill('#f6f8fa');
      let x = MARGIN;
      row.forEach((cell, i) => {
        const align = columns[i]?.align ?? 'start';
        const image = i === options.imageColumn ? options.images?.[r] : null;
        if (image) {
          const w = (widths[i] ?? 0) - 2 * pad;
          try {
            this.doc.image(image, x + pad, this.y + 2, { fit: [w, rowHeight - 4], align: 'center', valign: 'center' });
          } catch {
            this.line('—', x + pad, this.y + (rowHeight - size * 1.3) / 2, w, size, { align });
          }
        } else this.line(cell, x + pad, this.y + (rowHeight - size * 1.3) / 2, (widths[i] ?? 0) - 2 * pad, size, { align });
        x += widths[i] ?? 0;
      });
      this.doc.moveTo(MARGIN, this.y + rowHeight).lineTo(MARGIN + this.width, this.y + rowHeight).lineWidth(0.3).strokeColor('#c9d1da').stroke();
      this.y += rowHeight;
    });
    this.y += size;
    return this;
  }

  /** Signature lines side by side: a caption under each rule ("Received by", "Date"). */
  signatures(captions: readonly string[], size = 9): this {
    const gapBetween = 24;
    const each = (this.width - gapBetween * (captions.length - 1)) / Math.max(1, captions.length);
    this.ensureRoom(size * 7);
    const ruleY = this.y + size * 3.5;
    captions.forEach((caption, i) => {
      const x = MARGIN + i * (each + gapBetween);
      this.doc.moveTo(x, ruleY).lineTo(x + each, ruleY).lineWidth(0.6).strokeColor('#333333').stroke();
      this.line(caption, x, ruleY + 4, each, size, { align: 'left', color: '#444444' });
    });
    this.y = ruleY + size * 3;
    return this;
  }

  /** Vertical space. */
  gap(points: number): this {
    this.y += points;
    return this;
  }

  /** Page numbers and the footer on every page, then the bytes. */
  async finish(): Promise<Buffer> {
    const range = this.doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      this.doc.switchToPage(i);
      const y = this.doc.page.height - MARGIN;
      const footer = this.options.footer ? `${this.options.footer} · ` : '';
      // Drawing below the bottom margin must not add a page.
      const margins = this.doc.page.margins;
      this.doc.page.margins = { ...margins, bottom: 0 };
      this.line(`${footer}${i - range.start + 1} / ${range.count}`, MARGIN, y - 6, this.width, 7.5, { align: 'center', color: '#666666' });
      this.doc.page.margins = margins;
    }
    this.doc.end();
    return this.done;
  }
}
