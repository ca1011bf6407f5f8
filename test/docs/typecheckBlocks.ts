// Type-checks the docs' ts/tsx blocks in one `tsc` run (TypeScript 7 has no compiler API to call
// in-process): each block becomes a module of its own, the diagnostics are mapped back to the
// Markdown file and line they came from.
import { execFile } from 'node:child_process'
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { promisify } from 'node:util'
import type { CodeBlock } from './markdown.js'

/** A compiler error, placed in the Markdown file. */
export interface DocDiagnostic {
  /** `docs/03-react.md:120:7`, or the generated file's path when it is not a block. */
  where: string
  code: string
  message: string
}

// Packages a block may import that the root does not install: linked from the workspace package
// that does, so a block about Next.js, React Router or a peer (the migration guides' "before")
// is checked against the real types.
const LINKED = {
  next: 'examples/next-app/node_modules/next',
  'react-router': 'examples/react-app/node_modules/react-router',
  '@ory/elements-react': 'test/bench/node_modules/@ory/elements-react',
  '@ory/client-fetch': 'test/bench/node_modules/@ory/client-fetch',
  'next-auth': 'test/bench/node_modules/next-auth',
}

/** The generated module's name for `block`, e.g. `docs_03-react.md_120.tsx`. */
const moduleName = (block: CodeBlock) =>
  `${block.file.replace(/[/\\]/g, '_')}_${block.line}.${block.lang === 'tsx' ? 'tsx' : 'ts'}`

/**
 * Writes every block to `root/node_modules/.cache/session-keeper-docs/` (where imports resolve
 * through the workspace's own node_modules), runs tsc over them, and returns the diagnostics of each
 * block (by index) and those that belong to no block (the prelude, the config).
 */
export async function typecheckBlocks(
  root: string,
  blocks: CodeBlock[],
): Promise<{ byBlock: DocDiagnostic[][]; other: DocDiagnostic[] }> {
  const dir = `${root}/node_modules/.cache/session-keeper-docs`
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(`${dir}/node_modules`, { recursive: true })
  for (const [name, target] of Object.entries(LINKED)) {
    mkdirSync(dirname(`${dir}/node_modules/${name}`), { recursive: true })
    symlinkSync(`${root}/${target}`, `${dir}/node_modules/${name}`)
  }
  const names = blocks.map(moduleName)
  blocks.forEach((block, index) => {
    writeFileSync(`${dir}/${names[index]}`, `${block.code}\n`)
  })
  const byBlock = blocks.map((): DocDiagnostic[] => [])
  const other: DocDiagnostic[] = []
  // tsc reports no type errors at all while any file has a syntax error (some of which have
  // TS2xxx codes): so the blocks with an error keep it as their result and the others are
  // checked again without them, until a run finds nothing new.
  let remaining = names.map((_, index) => index)
  for (let run = 0; run < 10 && remaining.length; run++) {
    const found = await runTsc(
      root,
      dir,
      remaining.map((index) => names[index] as string),
    )
    const failed = new Set<number>()
    for (const diagnostic of found) {
      const index = names.indexOf(diagnostic.file)
      const block = blocks[index]
      const shown = {
        where: block ? `${block.file}:${block.line + diagnostic.row}:${diagnostic.column}` : diagnostic.where,
        code: diagnostic.code,
        message: diagnostic.message,
      }
      if (!block) other.push(shown)
      else {
        byBlock[index]?.push(shown)
        failed.add(index)
      }
    }
    if (!failed.size) break
    remaining = remaining.filter((index) => !failed.has(index))
  }
  return { byBlock, other }
}

interface TscDiagnostic {
  /** The file's base name, as written to the cache directory. */
  file: string
  where: string
  row: number
  column: number
  code: string
  message: string
}

/** One `tsc -p` over the prelude and `files` (in `dir`); its errors, parsed. */
async function runTsc(root: string, dir: string, files: string[]): Promise<TscDiagnostic[]> {
  const config = {
    extends: `${root}/test/docs/blocks/tsconfig.json`,
    files: [`${root}/test/docs/blocks/prelude.d.ts`, `${root}/test/docs/blocks/modules.d.ts`, ...files],
  }
  writeFileSync(`${dir}/tsconfig.json`, JSON.stringify(config, null, 2))
  let output: string
  try {
    const result = await promisify(execFile)(
      process.execPath,
      [`${root}/node_modules/typescript/bin/tsc`, '-p', `${dir}/tsconfig.json`, '--pretty', 'false'],
      { cwd: dir, maxBuffer: 64 * 1024 * 1024 },
    )
    output = result.stdout
  } catch (error) {
    // tsc exits 2 when it reports errors; its report is on stdout all the same.
    const { stdout, stderr } = error as { stdout?: string; stderr?: string }
    if (!stdout) throw new Error(`tsc failed to run: ${stderr ?? String(error)}`)
    output = stdout
  }
  const found: TscDiagnostic[] = []
  for (const line of output.split('\n')) {
    const match = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line)
    const last = found.at(-1)
    if (match) {
      const [, path = '', row = '0', column = '0', code = '', message = ''] = match
      found.push({
        file: path.replace(/^.*[/\\]/, ''),
        where: `${path}:${row}:${column}`,
        row: Number(row),
        column: Number(column),
        code,
        message,
      })
    } else if (last && /^\s/.test(line) && line.trim()) {
      last.message += ` ${line.trim()}` // the next line of a long message
    } else if (line.trim()) {
      found.push({ file: '', where: 'tsc', row: 0, column: 0, code: '', message: line.trim() })
    }
  }
  return found
}
