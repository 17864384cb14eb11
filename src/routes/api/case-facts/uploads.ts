import type { FastifyRequest } from 'fastify';
import { MAX_SCAN_BYTES, SCAN_TYPES } from '../../../commands/factRecording.ts';
import { invalid } from '../../../domain/errors.ts';
import type { ApiApp } from '../../../server/context.ts';

const MULTIPART = 'multipart/form-data';
/** Room for a multipart envelope around the largest scan. */
export const SCAN_BODY_LIMIT = MAX_SCAN_BYTES + 64 * 1024;

/**
 * Routes that take a scanned document: the body is the file itself (Content-Type
 * application/pdf, image/jpeg or image/png, as for photos) or a multipart/form-data form with
 * one file part. The parsers live in this scope only; the type is checked by content later.
 */
export function withScanParsers(app: ApiApp, routes: (scoped: ApiApp) => void): void {
  app.register(async (scoped) => {
    for (const type of [...SCAN_TYPES, MULTIPART]) {
      if (scoped.hasContentTypeParser(type)) scoped.removeContentTypeParser(type);
      scoped.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: SCAN_BODY_LIMIT }, (_request, body, done) => done(null, body));
    }
    routes(scoped as unknown as ApiApp);
  });
}

const unsupported = () => Object.assign(new Error('send the scanned document itself (a PDF, JPEG or PNG) or a multipart form with one file'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' });

/** The first file part of a multipart/form-data body, with the type its part declares ('' for none or octet-stream). */
export function firstFilePart(body: Buffer, header: string): { data: Buffer; contentType: string } {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(header);
  const boundaryText = match?.[1] ?? match?.[2];
  if (!boundaryText) throw invalid('content-type', 'a multipart body needs its boundary');
  const boundary = Buffer.from(`--${boundaryText}`);
  let at = body.indexOf(boundary);
  while (at !== -1) {
    const start = at + boundary.length;
    if (body.subarray(start, start + 2).toString('latin1') === '--') break;
    const headersEnd = body.indexOf('\r\n\r\n', start);
    if (headersEnd === -1) break;
    const next = body.indexOf(boundary, headersEnd + 4);
    if (next === -1) break;
    const headers = body.subarray(start, headersEnd).toString('utf8');
    if (/filename\*?=/i.test(headers)) {
      const declared = /content-type:\s*([^\r\n;]+)/i.exec(headers)?.[1]?.trim().toLowerCase() ?? '';
      // The part ends with CRLF before the next boundary.
      const data = Buffer.from(body.subarray(headersEnd + 4, Math.max(headersEnd + 4, next - 2)));
      return { data, contentType: declared === 'application/octet-stream' ? '' : declared };
    }
    at = next;
  }
  throw invalid('body', 'no file in the form: send one part with a filename');
}

/** The scanned document a request carries, with the type it claims. */
export function scanOf(request: FastifyRequest): { data: Buffer; contentType: string } {
  const body = request.body;
  const header = request.headers['content-type'] ?? '';
  const type = header.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!Buffer.isBuffer(body)) throw unsupported();
  if (type === MULTIPART) return firstFilePart(body, header);
  if (!(SCAN_TYPES as readonly string[]).includes(type)) throw unsupported();
  return { data: body, contentType: type };
}
