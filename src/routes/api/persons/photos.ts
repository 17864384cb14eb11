import { z } from 'zod';
import { addPhoto, readPhoto } from '../../../commands/photoKeeper.ts';
import { visibleCategories } from '../../../domain/categories.ts';
import { forbidden } from '../../../domain/errors.ts';
import { can } from '../../../policies/policy.ts';
import { personPolicy } from '../../../policies/person.ts';
import { today } from '../../../registry/as-of.ts';
import { MAX_PHOTO_BYTES, PHOTO_TYPES } from '../../../registry/images.ts';
import { type RouteModule, actorOf } from '../../../server/context.ts';
import { IdParams, withErrors } from '../schemas.ts';
import { OptionalIfMatchHeaders, optionalVersion } from '../versioning.ts';

const tags = ['persons'];

/** Photos: uploaded as the raw image (JPEG, PNG or WebP, checked by content), served only to those who may see the person. */
export const photoRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;
  app.addContentTypeParser(PHOTO_TYPES, { parseAs: 'buffer', bodyLimit: MAX_PHOTO_BYTES }, (_request, body, done) => done(null, body));

  app.post(
    '/api/v1/persons/:id/photos',
    {
      bodyLimit: MAX_PHOTO_BYTES,
      config: { access: can(personPolicy, 'updateIdentity') },
      schema: { tags, summary: 'Add a photo (body: the image, Content-Type image/jpeg, image/png or image/webp; at most 5 MB)', params: IdParams, headers: OptionalIfMatchHeaders, response: withErrors({ 201: z.object({ id: z.uuid() }) }) },
    },
    async (request, reply) => {
      const body = request.body;
      const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
      if (!Buffer.isBuffer(body)) throw Object.assign(new Error('send the image itself'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' });
      const id = await addPhoto(db, actorOf(request), today(), request.params.id, body, type, optionalVersion(request.headers['if-match']));
      return reply.status(201).send({ id });
    },
  );

  app.get(
    '/api/v1/photos/:id',
    {
      config: { access: can(personPolicy, 'read') },
      schema: { tags, summary: "A photo's image, if the caller may see the person (audited)", params: IdParams, response: withErrors({ 200: z.any().describe('the image') }) },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      if (!visibleCategories(actor.role, actor.sharedCategories).has('identity')) throw forbidden('your role does not see photos');
      const photo = await readPhoto(db, actor, today(), request.params.id);
      return reply.type(photo.contentType).header('cache-control', 'private, no-store').header('etag', `"${photo.sha256}"`).send(photo.data);
    },
  );
};
