#!/usr/bin/env node
// The `homeward` command. TypeScript sources run through tsx's loader, so there
// is no build step between a change and running it.
import { register } from 'tsx/esm/api';

register();
// `link` needs neither the database nor the server: its own entry starts faster.
const { main } = await import(process.argv[2] === 'link' ? '../src/cli/link-main.ts' : '../src/cli/main.ts');
await main(process.argv.slice(2));
