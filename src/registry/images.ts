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
