#!/usr/bin/env node
// The `homeward` command. It runs the JavaScript build in dist/server/ (`npm run build`) while
// that build is fresh, and otherwise the TypeScript sources through tsx's loader, so there is
// never a stale build between a change and running it (decision 0028).
// HOMEWARD_FROM_SOURCE=1 always runs the sources.
import { serverBuildIsFresh } from '../scripts/lib/server-build.mjs';

// `link` needs neither the database nor the server: its own entry starts faster.
const entry = process.argv[2] === 'link' ? 'link-main' : 'main';
let main;
if (process.env.HOMEWARD_FROM_SOURCE !== '1' && serverBuildIsFresh()) {
  process.setSourceMapsEnabled(true);
  ({ main } = await import(`../dist/server/${entry}.js`));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(`../src/cli/${entry}.ts`));
}
await main(process.argv.slice(2));
