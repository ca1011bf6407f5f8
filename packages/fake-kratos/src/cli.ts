#!/usr/bin/env node
import { startFakeKratos } from './index.js'
import { CLI_USAGE, CliUsageError, parseCliArgs } from './parseCliArgs.js'

// The fake-kratos command: parse flags (exit 2 naming a bad one), start, stop cleanly on signals.
let parsed: ReturnType<typeof parseCliArgs>
try {
  parsed = parseCliArgs(process.argv.slice(2))
} catch (error) {
  if (!(error instanceof CliUsageError)) throw error
  process.stderr.write(`fake-kratos: ${error.message}\nRun fake-kratos --help for the flags.\n`)
  process.exit(2)
}

if (parsed.help) {
  process.stdout.write(`${CLI_USAGE}\n`)
} else {
  try {
    const server = await startFakeKratos(parsed.options)
    process.stdout.write(`fake-kratos listening on ${server.url}\n`)
    const stop = () => {
      server.close().then(
        () => process.exit(0),
        () => process.exit(1),
      )
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  } catch (error) {
    process.stderr.write(`fake-kratos: ${(error as Error).message}\n`)
    process.exit(error instanceof TypeError ? 2 : 1)
  }
}
