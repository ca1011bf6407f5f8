// The docs cannot rot: every ts/tsx block of README.md and docs/*.md compiles against the
// packages' public entry points (one test per block, named after its file and line), every
// relative link and #anchor between the Markdown files resolves, every public export and option
// is documented, and the README stays a short front page.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { anchors, type CodeBlock, codeBlocks, links, markers } from './markdown.js'
import { type DocDiagnostic, typecheckBlocks } from './typecheckBlocks.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** The pages whose blocks are compiled: the README and the docs, read in order. */
const PAGES = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
]
/** The READMEs of the packages and examples: their blocks are compiled and their links checked too. */
const PACKAGE_READMES = ['packages', 'examples'].flatMap((dir) =>
  readdirSync(join(root, dir))
    .map((name) => `${dir}/${name}/README.md`)
    .filter((file) => existsSync(join(root, file))),
)
/** Every Markdown file whose links are checked: the pages, and the ones that link into them. */
const LINKED = [
  ...PAGES,
  ...PACKAGE_READMES,
  'ARCHITECTURE.md',
  'BENCHMARKS.md',
  'RELIABILITY.md',
  'test/contract/README.md',
].filter((file) => existsSync(join(root, file)))

/** At most this many blocks may skip the type check with `<!-- docs-test: partial -->`. */
const MAX_PARTIAL = 3
const COMPILED = ['ts', 'tsx', 'typescript']
/** "Cannot find name" (and its "did you mean"): the only errors a partial block may have. */
const UNDECLARED = ['TS2304', 'TS2552']
const blocks = [...PAGES, ...PACKAGE_READMES]
  .flatMap((file) => codeBlocks(root, file))
  .filter((block) => COMPILED.includes(block.lang))
const label = (block: CodeBlock) =>
  `${block.file}:${block.line} (${block.lang}${block.marker ? ', partial' : ''})`

const format = (diagnostics: DocDiagnostic[]) =>
  diagnostics.map(({ where, code, message }) => `${where} ${code} ${message}`)

describe('the code blocks of README.md, docs/*.md and the package READMEs', () => {
  let checked: Awaited<ReturnType<typeof typecheckBlocks>>
  beforeAll(async () => {
    checked = await typecheckBlocks(root, blocks)
  }, 120_000)

  it('finds the blocks (so an extractor that finds none fails)', () => {
    expect(blocks.length).toBeGreaterThan(40)
    expect(new Set(blocks.map((block) => block.file)).size).toBeGreaterThan(5)
  })

  it('compiles the shared prelude and config without an error of their own', () => {
    expect(format(checked.other)).toEqual([])
  })

  it.each(blocks.map((block, index) => [label(block), index] as const))('%s compiles', (_, index) => {
    const block = blocks[index] as CodeBlock
    const diagnostics = checked.byBlock[index] ?? []
    // A partial snippet may use names it does not show (TS2304, TS2552); every other error counts.
    const counted =
      block.marker === 'partial' ? diagnostics.filter((d) => !UNDECLARED.includes(d.code)) : diagnostics
    expect(format(counted)).toEqual([])
  })

  it(`lets at most ${MAX_PARTIAL} blocks opt out, each with a known marker right before a ts/tsx fence`, () => {
    const found = [...PAGES, ...PACKAGE_READMES].flatMap((file) =>
      markers(root, file).map((marker) => ({ file, ...marker })),
    )
    const misplaced = found.filter(
      ({ file, line, marker }) =>
        marker !== 'partial' ||
        !blocks.some((block) => block.file === file && block.line === line + 1 && block.marker === marker),
    )
    expect(misplaced.map(({ file, line, marker }) => `${file}:${line} ${marker}`)).toEqual([])
    expect(blocks.filter((block) => block.marker === 'partial').length).toBeLessThanOrEqual(MAX_PARTIAL)
  })
})

describe('links between the Markdown files', () => {
  it.each(LINKED)('every relative link and #anchor in %s resolves', (file) => {
    const broken: string[] = []
    for (const { line, target } of links(root, file)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue // http:, https:, mailto:
      const [path = '', hash] = target.split('#') as [string, string | undefined]
      const absolute = path ? resolve(dirname(join(root, file)), decodeURI(path)) : join(root, file)
      const shown = `${file}:${line} → ${target}`
      if (!absolute.startsWith(root)) broken.push(`${shown}: outside the repository`)
      else if (!existsSync(absolute)) broken.push(`${shown}: no such file`)
      else if (hash !== undefined && absolute.endsWith('.md') && statSync(absolute).isFile()) {
        if (!anchors(root, relative(root, absolute)).has(decodeURIComponent(hash))) {
          broken.push(`${shown}: no heading or anchor "#${hash}" there`)
        }
      }
    }
    expect(broken).toEqual([])
  })
})

/** The names a package entry exports, read from its explicit export list. */
function exportedNames(entry: string): string[] {
  const source = readFileSync(join(root, entry), 'utf8').replace(/\/\/.*$/gm, '')
  const names = new Set<string>()
  for (const [, list] of source.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const item of (list as string).split(',')) {
      const name = item
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .pop()
      if (name) names.add(name)
    }
  }
  for (const [, name] of source.matchAll(/^export\s+(?:const|function|class)\s+(\w+)/gm))
    names.add(name as string)
  return [...names]
}

/** The members of `interface name { … }` in `file` (two-space indented, as Biome formats them). */
function members(file: string, name: string): string[] {
  const source = readFileSync(join(root, file), 'utf8')
  const body = new RegExp(`export interface ${name}\\b[^{]*\\{\\n([\\s\\S]*?)\\n\\}`).exec(source)?.[1]
  if (!body) throw new Error(`${file}: no interface ${name}`)
  return [...body.matchAll(/^ {2}(?:readonly )?(\w+)\??[:(]/gm)].map((match) => match[1] as string)
}

describe('everything public is documented in docs/', () => {
  const docs = PAGES.filter((file) => file.startsWith('docs/'))
    .map((file) => readFileSync(join(root, file), 'utf8'))
    .join('\n')
  // A name counts as documented where it appears as code: `name`, `name(…)`, `<Name>`, `name: …`.
  const documented = (name: string) => new RegExp(`\`[^\`\\n]*\\b${name}\\b[^\`\\n]*\``).test(docs)

  // Each with the fewest names the parser must find in it, so that a parse that finds nothing fails.
  it.each([
    ['packages/core/src/index.ts', 4],
    ['packages/core/src/server/index.ts', 4],
    ['packages/core/src/server/redis/index.ts', 4],
    ['packages/react/src/index.ts', 4],
    ['packages/fake-kratos/src/index.ts', 4],
    ['packages/devtools/src/index.ts', 3],
    ['packages/devtools/src/production.ts', 3],
  ] as const)('every export of %s', (entry, fewest) => {
    const names = exportedNames(entry)
    expect(names.length).toBeGreaterThanOrEqual(fewest)
    expect(names.filter((name) => !documented(name))).toEqual([])
  })

  it.each([
    ['packages/core/src/resolveOptions.ts', 'SessionKeeperOptions'],
    ['packages/core/src/resolveOptions.ts', 'AutoExtendOptions'],
    ['packages/core/src/SessionKeeper.ts', 'SessionKeeper'],
    ['packages/core/src/types.ts', 'SessionState'],
    ['packages/core/src/ReauthFlow.ts', 'ReauthFlow'],
    ['packages/core/src/server/ExtendHandlerOptions.ts', 'ExtendHandlerOptions'],
    ['packages/core/src/server/redis/createRedisClaimStore.ts', 'RedisClaimStoreOptions'],
    ['packages/react/src/RequireFreshAuth.tsx', 'RequireFreshAuthProps'],
    ['packages/react/src/ReauthForm.tsx', 'ReauthFormProps'],
    ['packages/react/src/useReauthFlow.ts', 'ReauthFlowState'],
    ['packages/react/src/useFreshAuth.ts', 'FreshAuth'],
    ['packages/react/src/useExpiryCountdown.ts', 'ExpiryCountdown'],
    ['packages/react/src/ExpiryWarning.tsx', 'ExpiryWarningProps'],
    ['packages/react/src/expiryWarningMessages.ts', 'ExpiryWarningMessages'],
    ['packages/react/src/reauthFormMessages.ts', 'ReauthFormMessages'],
    ['packages/react/src/requireFreshAuthMessages.ts', 'RequireFreshAuthMessages'],
    ['packages/fake-kratos/src/options.ts', 'FakeKratosOptions'],
    ['packages/fake-kratos/src/startFakeKratos.ts', 'FakeKratos'],
    ['packages/devtools/src/SessionKeeperDevtools.tsx', 'SessionKeeperDevtoolsProps'],
  ])('every member of %s %s', (file, name) => {
    const list = members(file, name)
    expect(list.length).toBeGreaterThan(0)
    expect(list.filter((member) => !documented(member))).toEqual([])
  })
})

describe('README.md as the front page', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')

  it('is at most 350 lines', () => {
    expect(readme.trimEnd().split('\n').length).toBeLessThanOrEqual(350)
  })

  it("keeps the Quick start's two command lines, which CI runs (.ci/run reads the second)", () => {
    const section = readme.split(/^#+ .*[Qq]uick ?start.*$/m)[1] ?? ''
    const block = /```\w*\n([\s\S]*?)```/.exec(section)?.[1] ?? ''
    expect(block.split('\n').filter((line) => line.trim() && !line.trim().startsWith('#'))).toEqual([
      'npx -y pnpm@12.4.2 install && npx -y pnpm@12.4.2 demo',
      'npx -y pnpm@12.4.2 install --frozen-lockfile && npx -y pnpm@12.4.2 test',
    ])
  })
})
