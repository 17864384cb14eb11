/** Image formats accepted for photos, recognised by their first bytes, not by what the client claims. */
const SIGNATURES: readonly { type: string; test: (b: Buffer) => boolean }[] = [
  { type: 'image/jpeg', test: (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/png', test: (b) => b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'image/webp', test: (b) => b.length > 12 && b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
];

export const PHOTO_TYPES = SIGNATURES.map((s) => s.type);
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

/** The image type of the bytes, or null when they are not a JPEG, PNG or WebP image (SVG is never accepted). */
export function sniffImage(data: Buffer): string | null {
  return SIGNATURES.find((s) => s.test(data))?.type ?? null;
}

/** The largest photo accepted, in pixels: the manifest's PDF writer decodes photos, and a small file may declare a huge image. */
export const MAX_PHOTO_SIDE = 10_000;
export const MAX_PHOTO_PIXELS = 40_000_000;

const PNG_END = Buffer.from([0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

/** CRC-32 as PNG chunks carry it. */
function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A PNG's size from its IHDR chunk (the first, CRC checked), if it also ends with IEND. */
function pngSize(b: Buffer): { width: number; height: number } | string {
  if (b.length < 8 + 25 + 12 || b.readUInt32BE(8) !== 13 || b.subarray(12, 16).toString('latin1') !== 'IHDR') return 'has no PNG header chunk (IHDR)';
  if (crc32(b.subarray(12, 29)) !== b.readUInt32BE(29)) return 'has a damaged PNG header chunk';
  if (!b.subarray(b.length - 12).equals(PNG_END)) return 'is cut short (no PNG end chunk)';
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

/** A JPEG's size from its frame header (SOFn), if its scan is followed by the end-of-image marker. */
function jpegSize(b: Buffer): { width: number; height: number } | string {
  let at = 2;
  let size: { width: number; height: number } | null = null;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return 'has a damaged JPEG segment';
    const marker = b[at + 1] as number;
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    const length = b.readUInt16BE(at + 2);
    if (length < 2 || at + 2 + length > b.length) return 'is cut short (a JPEG segment runs past the end)';
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (length < 8) return 'has a damaged JPEG frame header';
      size = { height: b.readUInt16BE(at + 5), width: b.readUInt16BE(at + 7) };
    }
    if (marker === 0xda) {
      if (!size) return 'has no JPEG frame header before its image data';
      // The entropy-coded data cannot hold FF D9 (an FF in it is followed by 00 or a restart marker).
      return b.indexOf(Buffer.from([0xff, 0xd9]), at + 2 + length) >= 0 ? size : 'is cut short (no JPEG end-of-image marker)';
    }
    at += 2 + length;
  }
  return 'is cut short (no JPEG image data)';
}

/** A WebP's size from its first chunk (VP8, VP8L or VP8X), if the RIFF length is the file's. */
function webpSize(b: Buffer): { width: number; height: number } | string {
  if (b.length < 30 || b.readUInt32LE(4) + 8 !== b.length) return 'is cut short or padded (the WebP length is not the file’s)';
  const chunk = b.subarray(12, 16).toString('latin1');
  if (chunk === 'VP8X') return { width: b.readUIntLE(24, 3) + 1, height: b.readUIntLE(27, 3) + 1 };
  if (chunk === 'VP8L' && b[20] === 0x2f) {
    const bits = b.readUInt32LE(21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8 ' && b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a) return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
  return 'has no WebP image chunk';
}

/**
 * Whether bytes that start like an image are one a decoder can take whole: the header chunk
 * (size), the end marker (not cut short), and — for photos, which the manifest's PDF writer
 * decodes — a size at most MAX_PHOTO_SIDE a side and MAX_PHOTO_PIXELS in all (a few kilobytes
 * of PNG may declare 100,000 × 100,000 pixels). Null when it is fine; else why not, as a phrase.
 */
export function imageProblem(data: Buffer, type: string, limits: { maxSide: number; maxPixels: number } = { maxSide: MAX_PHOTO_SIDE, maxPixels: MAX_PHOTO_PIXELS }): string | null {
  const size = type === 'image/png' ? pngSize(data) : type === 'image/jpeg' ? jpegSize(data) : type === 'image/webp' ? webpSize(data) : 'is not a JPEG, PNG or WebP image';
  if (typeof size === 'string') return size;
  if (size.width < 1 || size.height < 1) return 'has no pixels';
  if (size.width > limits.maxSide || size.height > limits.maxSide || size.width * size.height > limits.maxPixels) {
    return `is ${size.width} × ${size.height} pixels; a photo may be at most ${limits.maxSide} a side and ${limits.maxPixels / 1_000_000} megapixels`;
  }
  return null;
}

/**
 * The same for a scanned document (a PDF, JPEG or PNG kept as evidence and only ever sent back
 * as it came, never decoded here): whole, not cut short — a PDF ends with %%EOF (within its last
 * kilobyte), an image as above, of any size.
 */
export function documentProblem(data: Buffer, type: string): string | null {
  if (type === 'application/pdf') return data.subarray(Math.max(0, data.length - 1024)).includes('%%EOF') ? null : 'is cut short (no %%EOF at the end of the PDF)';
  return imageProblem(data, type, { maxSide: Number.POSITIVE_INFINITY, maxPixels: Number.POSITIVE_INFINITY });
}
