// `npm start`: installs what is missing, builds the web app, and starts Homeward
// on the embedded database with the demo data set (loaded on first start).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT, ensureInstalled, ensureServerBuilt, ensureWebBuilt } from './lib/setup.mjs';

ensureInstalled();
ensureWebBuilt();
await ensureServerBuilt();
const args = process.argv.slice(2);
const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'homeward.js'), 'serve', ...(args.length ? args : ['--demo'])], {
  cwd: ROOT,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
