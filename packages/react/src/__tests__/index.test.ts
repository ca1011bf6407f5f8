import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as core from '@session-keeper/core'
import { describe, expect, it } from 'vitest'
import * as react from '../index.js'

const src = join(import.meta.dirname, '..')

describe('@session-keeper/react entry', () => {
  it('should re-export the core so apps install one package', () => {
    for (const [name, value] of Object.entries(core)) expect(react).toHaveProperty(name, value)
  })

  it("should start every source file with 'use client' for React Server Components", () => {
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter(
      (file) => /\.tsx?$/.test(file) && !file.includes('__tests__'),
    )
    expect(files.length).toBeGreaterThan(0)
    for (const file of files) {
      expect(readFileSync(join(src, file), 'utf8').startsWith("'use client'"), file).toBe(true)
    }
  })
})
