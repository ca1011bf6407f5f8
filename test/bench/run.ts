// `pnpm bench`: runs every benchmark in this folder on loopback, bounded in count, and prints a
// Markdown table per benchmark for BENCHMARKS.md. Never part of `pnpm test`: timings are not
// assertions.
import { readdirSync } from 'node:fs'
import { cpus } from 'node:os'

export interface BenchResult {
  title: string
  columns: string[]
  rows: (string | number)[][]
  note?: string
}

const only = process.argv[2]
const files = readdirSync(import.meta.dirname)
  .filter((file) => file.endsWith('.bench.ts') && (!only || file.includes(only)))
  .sort()

console.log(
  `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${new Date().toISOString()}\n`,
)
for (const file of files) {
  const { run } = (await import(`./${file}`)) as { run: () => Promise<BenchResult[]> }
  for (const result of await run()) {
    console.log(`### ${result.title}\n`)
    console.log(`| ${result.columns.join(' | ')} |`)
    console.log(`|${result.columns.map(() => '---').join('|')}|`)
    for (const row of result.rows) console.log(`| ${row.join(' | ')} |`)
    if (result.note) console.log(`\n${result.note}`)
    console.log()
  }
}
