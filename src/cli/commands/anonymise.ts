import { z } from 'zod';
import { anonymiseExpired, planAnonymisation, type RetentionPlan } from '../../commands/anonymiser.ts';
import { isCalendarDate } from '../../domain/birth-date.ts';
import { today } from '../../registry/as-of.ts';
import { parseOptions } from '../errors.ts';
import { withRuntime } from '../runtime.ts';

const AnonymiseOptions = z.strictObject({
  dryRun: z.boolean().optional(),
  asOf: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
    .refine(isCalendarDate, 'is not a real date')
    .optional(),
});

function printPlan(plan: RetentionPlan, verb: string): void {
  console.log(`${verb} ${plan.cases.length} case(s) and ${plan.people.length} person(s) that ended before ${plan.cutoff}`);
  for (const id of plan.cases) console.log(`case ${id}`);
  for (const id of plan.people) console.log(`person ${id}`);
  if (plan.heldBack.length > 0) {
    console.log(`held back: ${plan.heldBack.length} case(s) past the period whose members are still in the process`);
    for (const h of plan.heldBack) console.log(`held ${h.caseId} (${h.reasons.join(', ')})`);
  }
}

/**
 * `homeward anonymise [--dry-run] [--as-of YYYY-MM-DD]`: what the daily retention job does, now
 * (decision 0025). The period is HOMEWARD_RETENTION_DAYS; with --dry-run the cases and people that
 * would be anonymised are listed (counts and ids) and nothing is changed.
 */
export async function anonymiseCommand(raw: Record<string, unknown>): Promise<void> {
  const options = parseOptions(AnonymiseOptions, raw);
  const asOf = options.asOf ?? today();
  await withRuntime('homeward anonymise', async ({ config, database }) => {
    const retention = { asOf, retentionDays: config.retentionDays };
    if (options.dryRun) {
      printPlan(await planAnonymisation(database.db, retention), 'dry run, nothing changed: would anonymise');
      return;
    }
    const result = await anonymiseExpired(database.db, retention);
    printPlan(result, 'anonymised');
    console.log(`${result.filesDeleted} file(s) deleted, ${result.auditValuesErased} audit value(s) erased`);
  });
}
