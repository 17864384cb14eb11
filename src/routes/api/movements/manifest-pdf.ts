import { z } from 'zod';
import { recordAudit } from '../../../audit/trail.ts';
import { couldBeUnder } from '../../../domain/birth-date.ts';
import { visibleCategories } from '../../../domain/categories.ts';
import { notFound } from '../../../domain/errors.ts';
import { movementPolicy } from '../../../policies/movement.ts';
import { can } from '../../../policies/policy.ts';
import { findVisibleMovement, manifestRows } from '../../../repositories/movements.ts';
import { personVisibleTo } from '../../../repositories/person-scope.ts';
import { today } from '../../../registry/as-of.ts';
import { renderManifest } from '../../../reports/manifest.ts';
import { type RouteModule, actorOf } from '../../../server/context.ts';
import { IdParams, withErrors } from '../schemas.ts';

const PHOTO_TYPES = new Set(['image/jpeg', 'image/png']);

/**
 * The printable manifest of a movement (PDF, English and Arabic, embedded fonts), generated on
 * request from the manifest as it stands; photos only for roles that see identity, and only of
 * people the caller may see. Every download is audited as an export (`movement.manifest_exported`).
 */
export const manifestPdfRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;
  app.get(
    '/api/v1/movements/:id/manifest.pdf',
    {
      config: { access: can(movementPolicy, 'read') },
      schema: { tags: ['movements'], summary: 'The printable manifest, in English and Arabic, as a PDF (photos where the role may see them; audited as an export)', params: IdParams, response: withErrors({ 200: z.any().describe('the PDF') }) },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const asOf = today();
      const m = await findVisibleMovement(db, actor, request.params.id);
      if (!m) throw notFound('movement');
      const [passengers, escorts, country] = await Promise.all([
        manifestRows(db, m.id),
        db.selectFrom('movement_escorts').select(['id', 'name', 'role', 'organisation']).where('movement_id', '=', m.id).orderBy('created_at').execute(),
        m.country_code ? db.selectFrom('countries').select(['code', 'name_en', 'name_ar']).where('code', '=', m.country_code).executeTakeFirst() : undefined,
      ]);
      const withPhotos = visibleCategories(actor.role).has('identity');
      const photos = new Map<string, Buffer>();
      const ids = passengers.map((p) => p.person_id);
      if (withPhotos && ids.length > 0) {
        // The latest photo of each passenger the caller may see (personVisibleTo), JPEG or PNG only.
        const rows = await db
          .selectFrom('photos as ph')
          .innerJoin('files as f', 'f.sha256', 'ph.file_sha256')
          .innerJoin('persons as p', 'p.id', 'ph.person_id')
          .select(['ph.person_id', 'f.content_type', 'f.data'])
          .where('ph.person_id', 'in', ids)
          .where(personVisibleTo(actor, asOf))
          .orderBy('ph.created_at', 'desc')
          .execute();
        for (const r of rows) if (!photos.has(r.person_id) && PHOTO_TYPES.has(r.content_type)) photos.set(r.person_id, Buffer.from(r.data));
      }
      const escortName = new Map(escorts.map((e) => [e.id, e.name]));
      const pdf = await renderManifest({
        reference: m.reference,
        kind: m.kind as 'repatriation' | 'transfer',
        mode: m.mode as 'air' | 'land',
        status: m.status,
        country: country ? { code: country.code, en: country.name_en, ar: country.name_ar } : null,
        fromPlace: m.from_place,
        toPlace: m.to_place,
        carrier: m.carrier,
        flightNumber: m.flight_number,
        departureDate: m.departure_date,
        capacity: m.capacity,
        passengers: passengers.map((p) => ({
          displayName: p.display_name,
          latinName: p.latin_name ?? p.display_name,
          sex: p.sex,
          birthDate: p.birth_text ?? (p.birth_precision === 'exact' ? p.birth_earliest : p.birth_earliest.slice(0, 4)),
          child: couldBeUnder({ earliest: p.birth_earliest, latest: p.birth_latest }, 18, m.departure_date),
          caseReference: p.case_reference,
          escort: p.escort_id ? (escortName.get(p.escort_id) ?? null) : null,
          photo: photos.get(p.person_id) ?? null,
        })),
        escorts: escorts.map((e) => ({ name: e.name, role: e.role, organisation: e.organisation })),
        withPhotos,
        printedAt: new Date(),
      });
      await db.transaction().execute((tx) =>
        recordAudit(tx, { action: 'movement.manifest_exported', entityType: 'movement', entityId: m.id, actor, context: { format: 'pdf', passengers: passengers.length, photos: photos.size } }),
      );
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="manifest-${m.reference}.pdf"`)
        .header('cache-control', 'private, no-store')
        .send(pdf);
    },
  );
};
