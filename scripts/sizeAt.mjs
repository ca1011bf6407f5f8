// The core's own code, `{ createSessionKeeper }`, min+gzip, at any commit: what BENCHMARKS.md's
// "Where the split's bytes went" table is made of. It bundles packages/core/src of each commit
// with esbuild, as size-limit does (minify, tree-shake, zustand/ky/broadcast-channel left out).
//
//   node scripts/sizeAt.mjs 18d7a1d 12f401b HEAD
//   node scripts/sizeAt.mjs --no-reauth-flow 12f401b HEAD   # keeper.createReauthFlow stubbed out
//   node scripts/sizeAt.mjs --mangle all HEAD                # every property renamed (broken code:
//                                                            # an upper bound of what names cost)
//   node scripts/sizeAt.mjs --mangle internal HEAD           # only INTERNAL's names
//   node scripts/sizeAt.mjs --mangle 'scheduler|checker' HEAD  # only these property names
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { gzipSync } from 'node:zlib'

const root = new URL('..', import.meta.url).pathname
// esbuild is size-limit's own bundler: take the very copy it measures with.
const from = (file, name) => createRequire(file).resolve(name)
const preset = from(join(root, 'package.json'), '@size-limit/preset-small-lib')
const esbuild = createRequire(from(preset, '@size-limit/esbuild'))('esbuild')
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'no-reauth-flow': { type: 'boolean' }, mangle: { type: 'string' } },
})
if (positionals.length === 0) {
  console.error('usage: node scripts/sizeAt.mjs [--no-reauth-flow] [--mangle all|internal|a|b] <commit>...')
  process.exit(2)
}
// Property names only the core's modules use among themselves: members of their dependency
// objects and of what they return. None is public, nor a DOM, ky or broadcast-channel name.
const INTERNAL = [
  ...['scheduler', 'schedule', 'watch', 'tick', 'due', 'run', 'restart', 'checker', 'store', 'http'],
  ...['accept', 'update', 'remaining', 'newSkew', 'cacheFor', 'skew', 'retryAfter', 'redirectTo'],
  ...['conclude', 'hear', 'retryAt', 'pollFrom', 'reportAll', 'report', 'proves', 'allowed'],
  ...['tabs', 'connect', 'disconnect', 'follower', 'publish', 'allHidden', 'anyVisible', 'payloads'],
  ...['visibility', 'visibilityChanged', 'activity', 'recount', 'leader', 'hint', 'ask', 'onWake'],
  ...['onActivity', 'arrival', 'freshness', 'reauth', 'attempt', 'inspector', 'browserUrl'],
  ...['fetchFlow', 'create', 'request'],
]
const names = { all: '.', internal: `^(${INTERNAL.join('|')})$` }
const mangle = values.mangle && new RegExp(names[values.mangle] ?? `^(${values.mangle})$`)

for (const commit of positionals) {
  const dir = mkdtempSync(join(tmpdir(), 'size-at-'))
  try {
    execFileSync('sh', ['-c', `git archive ${commit} packages/core/src | tar -x -C ${dir}`], { cwd: root })
    const src = join(dir, 'packages/core/src')
    if (values['no-reauth-flow']) {
      const keeper = join(src, 'createSessionKeeper.ts')
      const stubbed = readFileSync(keeper, 'utf8').replace(
        /createReauthFlow: createReauthFlow\(.*\),/,
        'createReauthFlow: undefined as never,',
      )
      writeFileSync(keeper, stubbed)
    }
    const { outputFiles } = await esbuild.build({
      stdin: { contents: "export { createSessionKeeper } from './index.ts'", resolveDir: src, loader: 'ts' },
      bundle: true,
      minify: true,
      write: false,
      format: 'esm',
      external: ['zustand', 'zustand/vanilla', 'ky', 'broadcast-channel'],
      mangleProps: mangle || undefined,
    })
    const code = outputFiles[0].contents
    console.log(`${commit}\t${code.length} B minified\t${gzipSync(code).length} B min+gzip`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
