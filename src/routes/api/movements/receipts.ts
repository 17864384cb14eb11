import { z } from 'zod';
import { attachReceipt, readReceipt } from '../../../commands/receiptKeeper.ts';
import { movementPolicy } from '../../../policies/movement.ts';
import { can } from '../../../policies/policy.ts';
import { today } from '../../../registry/as-of.ts';
import { type RouteModule, actorOf } from '../../../server/context.ts';
import { SCAN_BODY_LIMIT, scanOf, withScanParsers } from '../case-facts/uploads.ts';
import { withErrors } from '../schemas.ts';
import { loadMovement } from './movements.ts';
import { MovementSchema, PassengerParams } from './schema.ts';

const tags = ['movements'];
const SCAN = 'body: the file (Content-Type application/pdf, image/jpeg or image/png, checked by content; at most 10 MB), or a multipart/form-data form with one file part';

/** The signed receipt of each handover: attached by whoever records the handover, read by whoever sees the movement (audited). */
export const handoverReceiptRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;
  withScanParsers(app, (scoped) => {
    scoped.put(
      '/api/v1/movements/:id/handovers/:personId/receipt',
      {
        bodyLimit: SCAN_BODY_LIMIT,
        config: { access: can(movementPolicy, 'handOver') },
        schema: { tags, summary: `Attach the scanned receipt the receiving official signed for this person's handover, replacing any earlier one (${SCAN})`, params: PassengerParams, response: withErrors({ 200: MovementSchema }) },
      },
      async (request) => {
        const actor = actorOf(request);
        const { data, contentType } = scanOf(request);
        await attachReceipt(db, actor, request.params.id, request.params.personId, data, contentType);
        return (await loadMovement(db, actor, today(), request.params.id)).body;
      },
    );
  });
  app.get(
    '/api/v1/movements/:id/handovers/:personId/receipt',
    { config: { access: can(movementPolicy, 'read') }, schema: { tags, summary: "The signed receipt of this person's handover (audited)", params: PassengerParams, response: withErrors({ 200: z.any().describe('the file') }) } },
    async (request, reply) => {
      const file = await readReceipt(db, actorOf(request), request.params.id, request.params.personId);
      const extension = file.contentType === 'application/pdf' ? 'pdf' : file.contentType === 'image/png' ? 'png' : 'jpg';
      return reply
        .type(file.contentType)
        .header('content-disposition', `inline; filename="receipt-${file.movement.reference}-${request.params.personId.slice(0, 8)}.${extension}"`)
        .header('cache-control', 'private, no-store')
        .header('etag', `"${file.sha256}"`)
        .send(file.data);
    },
  );
};
