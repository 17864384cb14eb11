import type { FastifyInstance } from 'fastify';
import { busyMillis, measureQueries, type QueryTiming } from '../db/timing.ts';

declare module 'fastify' {
  interface FastifyRequest {
    queryTiming?: QueryTiming;
    timingStart?: number;
  }
}

/**
 * With HOMEWARD_SERVER_TIMING=true each answer says, in a `Server-Timing` header,
 * how long the request took in the server and how much of it the database was
 * busy with its statements — what the benchmark prints as the raw SQL's time
 * beside the API's. Off by default: the header tells a caller about the server.
 */
export function registerServerTiming(app: FastifyInstance): void {
  // A callback hook, first of all: the rest of the request's life runs inside measureQueries.
  app.addHook('onRequest', (request, _reply, done) => {
    const timing: QueryTiming = { queries: 0, spans: [] };
    request.queryTiming = timing;
    request.timingStart = performance.now();
    measureQueries(timing, done);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const timing = request.queryTiming;
    if (timing && request.timingStart !== undefined) {
      const total = performance.now() - request.timingStart;
      reply.header('server-timing', `db;dur=${busyMillis(timing).toFixed(2)};desc="${timing.queries} statements", total;dur=${total.toFixed(2)}`);
    }
    return payload;
  });
}
