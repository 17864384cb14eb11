#!/usr/bin/env node
// The `homeward` command. TypeScript sources run through tsx's loader, so there
// is no build step between a change and running it.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv.slice(2));
