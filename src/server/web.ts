import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { appCsp, newNonce } from './security-headers.ts';

export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/**
 * Serves the single-page app: its hashed assets as files, and index.html for
 * every other page URL, with a fresh CSP nonce for the styles the UI injects.
 */
export async function registerWebApp(app: FastifyInstance): Promise<(request: FastifyRequest, reply: FastifyReply) => FastifyReply> {
  const indexPath = path.join(WEB_DIST, 'index.html');
  const built = fs.existsSync(indexPath);
  if (built) {
    await app.register(fastifyStatic, {
      root: WEB_DIST,
      prefix: '/',
      index: false,
      wildcard: false,
      cacheControl: true,
      maxAge: '1y',
      immutable: true,
      serveDotFiles: false,
    });
  }
  const template = built ? fs.readFileSync(indexPath, 'utf8') : null;
  return (_request, reply) => {
    const nonce = newNonce();
    reply.header('content-security-policy', appCsp(nonce)).header('cache-control', 'no-store').type('text/html; charset=utf-8');
    if (!template) {
      return reply
        .status(503)
        .send('<!doctype html><title>Homeward</title><p>The web app has not been built. Run <code>npm run build</code>, or start with <code>npm start</code>.</p>');
    }
    return reply.send(template.replaceAll('__CSP_NONCE__', nonce));
  };
}
