// The server's JavaScript build (decision 0028): esbuild bundles the `homeward` command from
// src/ into dist/server/, so a process starts without compiling TypeScript through a loader
// (≈ 0.8 s of CPU less at every start). bin/homeward.js runs the build only while it is
// fresh — no source file it was made from has changed since — and otherwise runs the
// sources through tsx, so an edit is never hidden behind a stale build.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SERVER_DIST = path.join(ROOT, 'dist', 'server');
const STAMP = path.join(SERVER_DIST, 'inputs.json');
const ENTRIES = ['src/cli/main.ts', 'src/cli/link-main.ts'];

/**
 * A module's own URL, kept as the source file's: code that finds files beside itself
 * (`new URL('./common-passwords.txt', import.meta.url)`) finds them from the build too.
 */
export const sourceUrls = {
  name: 'source-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.(ts|mts|js|mjs)$/ }, async (args) => {
      const text = await fs.promises.readFile(args.path, 'utf8');
      return { contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: /\.m?ts$/.test(args.path) ? 'ts' : 'js' };
    });
  },
};

/**
 * Packages left in node_modules, loaded from there at run time: native code, WebAssembly, files read
 * beside their own modules (fonts, static assets, worker scripts), the test tools, and the two heavy
 * libraries the server loads only when a file asks for them (exceljs, pdfkit). Every other package is
 * bundled: a process then compiles a few files instead of resolving and reading some hundreds of small
 * modules (kysely, zod, fastify…), ≈ 0.2 s less at every start (decision 0035).
 */
export const EXTERNAL_PACKAGES = new Set([
  '@electric-sql/pglite',
  '@node-rs/argon2',
  'pdfkit',
  'exceljs',
  '@fastify/static',
  '@fastify/swagger',
  '@fastify/swagger-ui',
  'pino',
  'thread-stream',
  'pino-pretty',
  'pg-native',
  'playwright-core',
  'autocannon',
  'esbuild',
  'tsx',
  'vite',
  'typescript',
]);

const packageName = (specifier) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);

export const externalPackages = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return { path: args.path, external: true };
      if (EXTERNAL_PACKAGES.has(packageName(args.path))) return { path: args.path, external: true };
      return undefined;
    });
  },
};

/**
 * The options both builds share: one ESM bundle per entry for Node 20. CommonJS packages bundled into
 * ESM call `require` for Node's own modules: the banner gives each chunk one.
 */
export const NODE_BUNDLE = {
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  banner: { js: "import { createRequire as __homewardCreateRequire } from 'node:module'; const require = __homewardCreateRequire(import.meta.url);" },
  plugins: [externalPackages, sourceUrls],
};

/** Builds dist/server/ and records the files it was made from. */
export async function buildServer() {
  const { build } = await import('esbuild');
  const startedAt = Date.now();
  fs.rmSync(SERVER_DIST, { recursive: true, force: true });
  const result = await build({
    ...NODE_BUNDLE,
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: SERVER_DIST,
    metafile: true,
  });
  // The packages bundled change only with the lockfile: it stands for them (a start stats each input).
  const inputs = [...Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('node_modules/')), 'package-lock.json'].sort();
  // The time the sources were read: a file saved during the build counts as changed.
  fs.writeFileSync(STAMP, `${JSON.stringify({ builtFrom: startedAt, inputs }, null, 1)}\n`);
  return { inputs: inputs.length, ms: Date.now() - startedAt };
}

/** Whether dist/server/ exists and no file it was made from has changed since. */
export function serverBuildIsFresh() {
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(STAMP, 'utf8'));
  } catch {
    return false;
  }
  for (const input of stamp.inputs) {
    let mtime;
    try {
      mtime = fs.statSync(path.join(ROOT, input)).mtimeMs;
    } catch {
      return false;
    }
    if (mtime >= stamp.builtFrom) return false;
  }
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { inputs, ms } = await buildServer();
  console.log(`built dist/server from ${inputs} source files in ${ms} ms`);
}
