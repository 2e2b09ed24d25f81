// Bundles the compiled CLI (dist/src/cli/main.js and everything it imports, Chevrotain's
// single-file build included) into one CommonJS script, dist/thc.cjs, which bin/thc.js loads with
// a V8 code cache. Why: `thc check` start-up is a measured target, and on Node 20 (no
// module.enableCompileCache) resolving and compiling ~100 ES modules costs more than the check.
// Run after tsc (npm run build does both); then warms the code cache once.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync, rmSync } from 'node:fs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const chevrotainBundle = join(dirname(createRequire(import.meta.url).resolve('chevrotain')), '..', 'chevrotain.min.mjs');
const out = join(root, 'dist', 'thc.cjs');

/** dist/src/syntax/chevrotain.js loads Chevrotain with top-level await; in the bundle it is a static import. */
const staticChevrotain = {
  name: 'static-chevrotain',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]src[\\/]syntax[\\/]chevrotain\.js$/ }, () => ({
      contents: `import * as chev from ${JSON.stringify(chevrotainBundle)};\nexport { chev };\n`,
      loader: 'js',
      resolveDir: root,
    }));
  },
};

/**
 * The WGSL host module embeds the host runtime's source text (`thcHostRuntime.toString()` in
 * dist/src/backend/wgsl/host/emit.js). Bundling renames the function's locals (to avoid shadowing
 * other modules' names), which keeps its meaning but would change the generated module's bytes:
 * the bundle gets tsc's text of the function as a string literal instead, so the bundled CLI and
 * the plain dist/src one write the same files.
 */
const hostRuntimeText = {
  name: 'host-runtime-text',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]src[\\/]backend[\\/]wgsl[\\/]host[\\/]emit\.js$/ }, args => {
      const runtime = readFileSync(join(dirname(args.path), 'runtime.js'), 'utf8');
      const start = runtime.indexOf('function thcHostRuntime(');
      const end = runtime.lastIndexOf('}') + 1;
      if (start < 0) throw new Error('bundle: no thcHostRuntime in runtime.js');
      const text = runtime.slice(start, end);
      const code = readFileSync(args.path, 'utf8');
      if (!code.includes('thcHostRuntime.toString()')) throw new Error('bundle: emit.js no longer calls thcHostRuntime.toString()');
      return { contents: code.replace('thcHostRuntime.toString()', JSON.stringify(text)), loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

/**
 * The JS target's standalone module embeds two functions' source text the same way
 * (`thcJsRuntime.toString()` and `thcJsHost.toString()` in dist/src/backend/js/module-emit.js):
 * each is the last declaration of its file (runtime.js, host.js), cut from tsc's output as above.
 */
const jsModuleText = {
  name: 'js-module-text',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]src[\\/]backend[\\/]js[\\/]module-emit\.js$/ }, args => {
      let code = readFileSync(args.path, 'utf8');
      for (const [fn, file] of [['thcJsRuntime', 'runtime.js'], ['thcJsHost', 'host.js']]) {
        const js = readFileSync(join(dirname(args.path), file), 'utf8');
        const start = js.indexOf(`function ${fn}(`);
        if (start < 0) throw new Error(`bundle: no ${fn} in ${file}`);
        const call = `${fn}.toString()`;
        if (!code.includes(call)) throw new Error(`bundle: module-emit.js no longer calls ${call}`);
        code = code.replace(call, JSON.stringify(js.slice(start, js.lastIndexOf('}') + 1)));
      }
      return { contents: code, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

await build({
  entryPoints: [join(root, 'dist', 'src', 'cli', 'main.js')],
  outfile: out,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Modules find package.json relative to import.meta.url (`../../../package.json` from
  // dist/src/cli/, or by walking up): in the bundle it is a URL at that same depth.
  define: { 'import.meta.url': '__thcModuleUrl' },
  banner: { js: "const __thcModuleUrl = require('node:url').pathToFileURL(require('node:path').join(__dirname, 'src', 'cli', 'bundle.js')).href;" },
  plugins: [staticChevrotain, hostRuntimeText, jsModuleText],
  // Dawn's bindings load their native dawn.node relative to their own index.js: they stay a real
  // package, imported at run time through src/gpu/loader.ts, only by the commands that use the GPU.
  external: ['webgpu'],
  logLevel: 'warning',
  legalComments: 'none',
});

// The cache is made by running the CLI once (bin/thc.js writes it when it is missing).
rmSync(`${out}.cache`, { force: true });
const r = spawnSync(process.execPath, [join(root, 'bin', 'thc.js'), 'check', join(root, 'samples', 'logistic.th')], { encoding: 'utf8' });
if (r.status !== 0) {
  process.stderr.write(`bundle: the bundled CLI failed its smoke test (status ${r.status}):\n${r.stdout}${r.stderr}`);
  process.exit(1);
}
