import { createInflateRaw } from 'node:zlib';

/**
 * A guard in front of exceljs for uploaded workbooks. An .xlsx file is a zip, and exceljs
 * (through JSZip) inflates every entry whole into memory before it checks anything: a zip
 * bomb — a few kilobytes of deflated zeros declaring, or hiding, gigabytes — would take the
 * process's memory. This reads the zip's central directory itself (no library), refuses a
 * workbook by its entry count, the sizes its entries declare and their compression ratio,
 * then inflates each entry into nothing (counted, not kept) and stops the moment one gives
 * more than it declared: a zip that lies about its sizes is refused after at most the
 * declared size, never inflated whole.
 */

/** The most a workbook may inflate to, all entries together. */
export const MAX_XLSX_INFLATED_BYTES = 512 * 1024 * 1024;
/** The most entries a workbook may have (a real one has a few dozen). */
export const MAX_XLSX_ENTRIES = 2000;
/** The most one entry may inflate per byte stored: sheet XML deflates 5–30 times; a bomb 1,000 times. */
export const MAX_XLSX_RATIO = 100;
/** Entries smaller than this inflated are not held to the ratio (tiny XML parts compress very well). */
const RATIO_FLOOR_BYTES = 1024 * 1024;

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly localHeaderOffset: number;
}

/** Why a zip is refused: `malformed` (not a zip we can read) or `too_large` (inflates beyond the limits). */
export class ZipRefused extends Error {
  constructor(
    readonly reason: 'malformed' | 'too_large',
    message: string,
  ) {
    super(message);
  }
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const U32_MAX = 0xffffffff;

const malformed = (why: string) => new ZipRefused('malformed', `the file is not a readable Excel workbook (.xlsx): ${why}`);

function u64(data: Buffer, at: number): number {
  const value = data.readBigUInt64LE(at);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw malformed('a size beyond any real file');
  return Number(value);
}

/** The entries of a zip's central directory, read from the end of the file; nothing is inflated. */
export function readZipDirectory(data: Buffer): ZipEntry[] {
  if (data.length < 22 || data.readUInt32LE(0) !== LOCAL) throw malformed('it does not start as a zip file');
  // The end-of-central-directory record: 22 bytes and a comment of at most 65,535.
  let eocd = -1;
  for (let at = data.length - 22; at >= Math.max(0, data.length - 22 - 65_535); at--) {
    if (data.readUInt32LE(at) === EOCD) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw malformed('it has no zip directory');
  let count = data.readUInt16LE(eocd + 10);
  let size = data.readUInt32LE(eocd + 12);
  let offset = data.readUInt32LE(eocd + 16);
  if (count === 0xffff || size === U32_MAX || offset === U32_MAX) {
    const locator = eocd - 20;
    if (locator < 0 || data.readUInt32LE(locator) !== ZIP64_LOCATOR) throw malformed('a ZIP64 directory without its locator');
    const record = u64(data, locator + 8);
    if (record + 56 > data.length || data.readUInt32LE(record) !== ZIP64_EOCD) throw malformed('a ZIP64 directory out of the file');
    count = u64(data, record + 32);
    size = u64(data, record + 40);
    offset = u64(data, record + 48);
  }
  if (count > MAX_XLSX_ENTRIES) throw new ZipRefused('too_large', `the workbook has ${count} parts; a workbook has at most ${MAX_XLSX_ENTRIES}`);
  if (offset + size > data.length) throw malformed('its directory points outside the file');
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > data.length || data.readUInt32LE(at) !== CENTRAL) throw malformed('a broken directory entry');
    const method = data.readUInt16LE(at + 10);
    let compressedSize = data.readUInt32LE(at + 20);
    let uncompressedSize = data.readUInt32LE(at + 24);
    const nameLength = data.readUInt16LE(at + 28);
    const extraLength = data.readUInt16LE(at + 30);
    const commentLength = data.readUInt16LE(at + 32);
    let localHeaderOffset = data.readUInt32LE(at + 42);
    const name = data.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    // ZIP64 sizes: an extra field 0x0001 holds, in this order, those of the three that are 0xFFFFFFFF.
    if (uncompressedSize === U32_MAX || compressedSize === U32_MAX || localHeaderOffset === U32_MAX) {
      let e = at + 46 + nameLength;
      const end = e + extraLength;
      let found = false;
      while (e + 4 <= end) {
        const id = data.readUInt16LE(e);
        const length = data.readUInt16LE(e + 2);
        if (id === 0x0001) {
          let v = e + 4;
          if (uncompressedSize === U32_MAX) {
            uncompressedSize = u64(data, v);
            v += 8;
          }
          if (compressedSize === U32_MAX) {
            compressedSize = u64(data, v);
            v += 8;
          }
          if (localHeaderOffset === U32_MAX) localHeaderOffset = u64(data, v);
          found = true;
          break;
        }
        e += 4 + length;
      }
      if (!found) throw malformed('a ZIP64 entry without its sizes');
    }
    entries.push({ name, method, compressedSize, uncompressedSize, localHeaderOffset });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024).toLocaleString('en')} MB`;

/** Inflates one entry into nothing, counting; refuses it once it gives more than `limit` bytes. */
function inflatedSize(compressed: Buffer, limit: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const inflate = createInflateRaw();
    let total = 0;
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
    };
    inflate.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) {
        finish(() => reject(new ZipRefused('too_large', `a part of the workbook inflates to more than it declares (over ${mb(limit)}): refused as a zip bomb`)));
        inflate.destroy();
      }
    });
    inflate.on('error', () => finish(() => reject(malformed('a part cannot be inflated'))));
    inflate.on('end', () => finish(() => resolve(total)));
    inflate.end(compressed);
  });
}

/**
 * Checks a workbook before it is opened: a readable zip, at most MAX_XLSX_ENTRIES parts, at most
 * MAX_XLSX_INFLATED_BYTES inflated in all, no part above MAX_XLSX_RATIO times its stored size, and
 * no part inflating to more than it declares. Throws ZipRefused; never inflates more than the limits.
 */
export async function checkZip(data: Buffer): Promise<{ entries: number; inflatedBytes: number }> {
  const entries = readZipDirectory(data);
  let declared = 0;
  for (const e of entries) {
    declared += e.uncompressedSize;
    if (declared > MAX_XLSX_INFLATED_BYTES) throw new ZipRefused('too_large', `the workbook inflates to more than ${mb(MAX_XLSX_INFLATED_BYTES)} (it is ${mb(data.length)} stored); split it`);
    if (e.uncompressedSize >= RATIO_FLOOR_BYTES && e.uncompressedSize > MAX_XLSX_RATIO * Math.max(1, e.compressedSize)) {
      throw new ZipRefused('too_large', `the part ${e.name.slice(0, 100)} inflates ${Math.round(e.uncompressedSize / Math.max(1, e.compressedSize))} times (${mb(e.uncompressedSize)} from ${e.compressedSize} bytes): refused as a zip bomb`);
    }
  }
  let inflated = 0;
  for (const e of entries) {
    const at = e.localHeaderOffset;
    if (at + 30 > data.length || data.readUInt32LE(at) !== LOCAL) throw malformed('a directory entry points to no file');
    const start = at + 30 + data.readUInt16LE(at + 26) + data.readUInt16LE(at + 28);
    if (start + e.compressedSize > data.length) throw malformed('a part runs past the end of the file');
    const stored = data.subarray(start, start + e.compressedSize);
    if (e.method === 0) {
      if (e.compressedSize !== e.uncompressedSize) throw malformed('a stored part with two sizes');
      inflated += e.uncompressedSize;
    } else if (e.method === 8) {
      const size = await inflatedSize(stored, e.uncompressedSize);
      if (size !== e.uncompressedSize) throw malformed('a part inflates to less than it declares');
      inflated += size;
    } else throw malformed(`a part compressed with method ${e.method} (only deflate is read)`);
  }
  return { entries: entries.length, inflatedBytes: inflated };
}
