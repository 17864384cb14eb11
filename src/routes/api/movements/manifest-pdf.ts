import { z } from 'zod';
import { recordAudit } from '../../../audit/trail.ts';
import { readSentManifest } from '../../../commands/manifestSender.ts';
import { notFound } from '../../../domain/errors.ts';
import { movementPolicy } from '../../../policies/movement.ts';
import { can } from '../../../policies/policy.ts';
import { loadManifestInput } from '../../../repositories/manifest-input.ts';
import { findVisibleMovement } from '../../../repositories/movements.ts';
import { today } from '../../../registry/as-of.ts';
import { renderManifest } from '../../../reports/manifest.ts';
import { type RouteModule, actorOf } from '../../../server/context.ts';
import { IdParams, withErrors } from '../schemas.ts';
import { ManifestPdfQuery } from './schema.ts';

/**
 * The printable manifest of a movement (PDF, English and Arabic, embedded fonts): by default
 * generated on request from the manifest as it stands, for the caller (photos only for roles that
 * see identity, and only of people the caller may see); with `?version=sent`, the bytes kept when
 * the manifest locked, exactly as sent to the home country. Every download is audited as an export
 * (`movement.manifest_exported`).
 */
export const manifestPdfRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;
  app.get(
    '/api/v1/movements/:id/manifest.pdf',
    {
      config: { access: can(movementPolicy, 'read') },
      schema: {
        tags: ['movements'],
        summary: 'The printable manifest, in English and Arabic, as a PDF: live for the caller (photos where the role may see them), or ?version=sent, the one kept when it locked (audited as an export)',
        params: IdParams,
        querystring: ManifestPdfQuery,
        response: withErrors({ 200: z.any().describe('the PDF') }),
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      if (request.query.version === 'sent') {
        const sent = await readSentManifest(db, actor, request.params.id);
        await db.transaction().execute((tx) =>
          recordAudit(tx, { action: 'movement.manifest_exported', entityType: 'movement', entityId: sent.movement.id, actor, context: { format: 'pdf', version: 'sent', sha256: sent.sha256 } }),
        );
        return reply
          .type(sent.contentType)
          .header('content-disposition', `attachment; filename="manifest-${sent.movement.reference}-as-sent.pdf"`)
          .header('cache-control', 'private, no-store')
          .header('etag', `"${sent.sha256}"`)
          .send(sent.data);
      }
      const m = await findVisibleMovement(db, actor, request.params.id);
      if (!m) throw notFound('movement');
      const { input, photos } = await loadManifestInput(db, actor, today(), m, new Date());
      const pdf = await renderManifest(input);
      await db.transaction().execute((tx) =>
        recordAudit(tx, { action: 'movement.manifest_exported', entityType: 'movement', entityId: m.id, actor, context: { format: 'pdf', passengers: input.passengers.length, photos } }),
      );
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="manifest-${m.reference}.pdf"`)
        .header('cache-control', 'private, no-store')
        .send(pdf);
    },
  );
};
