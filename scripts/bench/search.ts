// Registry search on the embedded database over the demo data: API time (in-process
// inject, through auth, scoping and presentation) beside the raw SQL it runs.
import { createUser } from '../../src/commands/userCreator.ts';
import { loadDemo } from '../../src/demo/demo.ts';
import { searchPersons } from '../../src/repositories/person-search.ts';
import { today } from '../../src/registry/as-of.ts';
import { createTestApp, logInAs } from '../../src/testing/app.ts';
import { type Figures, summarise } from './stats.ts';

export async function benchSearch(): Promise<{ title: string; rows: [string, Figures, Figures][]; note: string }> {
  const t = await createTestApp();
  try {
    await loadDemo(t.database.db, { password: 'bench-password-2026' });
    await createUser(t.database.db, { username: 'bench-coordinator', role: 'coordinator', password: 'bench-password-2026' }, { system: 'bench' });
    const client = await logInAs(t, 'bench-coordinator', 'bench-password-2026');
    const names = await t.database.db.selectFrom('person_names').select(['full_name', 'script']).orderBy('id').limit(4000).execute();
    const byScript = new Map<string, string[]>();
    for (const n of names) byScript.set(n.script, [...(byScript.get(n.script) ?? []), n.full_name]);
    const actor = { userId: client.userId, username: 'bench', role: 'coordinator', agencyId: null, countryCode: null, via: 'session', scopes: ['read'], totpEnrollmentPending: false, passwordChangePending: false } as const;
    const rows: [string, Figures, Figures][] = [];
    for (const script of ['arabic', 'cyrillic', 'latin']) {
      const sample = (byScript.get(script) ?? []).filter((_, i) => i % 7 === 0).slice(0, 200);
      const api: number[] = [];
      const raw: number[] = [];
      for (const q of sample) {
        let start = performance.now();
        const response = await client.request('GET', `/api/v1/persons?limit=20&q=${encodeURIComponent(q)}`);
        api.push(performance.now() - start);
        if (response.statusCode !== 200) throw new Error(`search failed: ${response.statusCode}`);
        start = performance.now();
        await searchPersons(t.database.db, actor, today(), { q }).query.limit(21).execute();
        raw.push(performance.now() - start);
      }
      rows.push([`person search, ${script} names (${sample.length} queries)`, summarise(api), summarise(raw)]);
    }
    const list: number[] = [];
    const listRaw: number[] = [];
    for (let i = 0; i < 100; i++) {
      let start = performance.now();
      await client.request('GET', '/api/v1/persons?limit=50&kind=child&nationality=TJK');
      list.push(performance.now() - start);
      start = performance.now();
      await searchPersons(t.database.db, actor, today(), { kind: 'child', nationality: 'TJK' }).query.limit(51).execute();
      listRaw.push(performance.now() - start);
    }
    rows.push(['filtered list (children of TJK, 50 a page)', summarise(list), summarise(listRaw)]);
    const count = await t.database.db.selectFrom('persons').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return { title: `Registry search, embedded database (PGlite), demo data (${count.n} people)`, rows, note: 'API = in-process request through authentication, scoping and presentation; raw SQL = the same search query alone.' };
  } finally {
    await t.close();
  }
}
