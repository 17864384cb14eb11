import { benchImport } from './import.ts';

const rows = Number(process.argv[2] ?? 5000);
console.log(JSON.stringify(await benchImport(rows)));
