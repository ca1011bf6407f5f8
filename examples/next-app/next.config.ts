import { fileURLToPath } from 'node:url'
import type { NextConfig } from 'next'

const config: NextConfig = {
  // The workspace root: the packages resolve from there (pnpm links them), and Next finds no
  // other lockfile to guess from.
  turbopack: { root: fileURLToPath(new URL('../..', import.meta.url)) },
  // Kratos's URL and the keeper's settings are read at request time (app/settings.ts), so the
  // build holds no environment.
  poweredByHeader: false,
}

export default config
