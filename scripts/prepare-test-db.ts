// Makes the migrated template each test file copies (see src/testing/database.ts).
import { preparePGliteTemplate, preparePostgresTemplate } from '../src/testing/database.ts';

const [kind, file] = process.argv.slice(2);
if (kind === 'pglite' && file) await preparePGliteTemplate(file);
else if (kind === 'postgres') await preparePostgresTemplate();
else throw new Error('usage: prepare-test-db.ts pglite FILE | postgres');
