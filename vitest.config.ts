import { fileURLToPath } from 'node:url'
import { defaultClientConditions, defaultServerConditions } from 'vite'
import { defineConfig } from 'vitest/config'

// Tests run against `src` through this workspace-only export condition, so no build is needed.
const SOURCE = '@session-keeper/source'

// React 18.3 for the "react-18" project: npm aliases installed by packages/react.
const react18 = (name: string) =>
  fileURLToPath(new URL(`./packages/react/node_modules/${name}`, import.meta.url))

export default defineConfig({
  resolve: { conditions: [SOURCE, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [SOURCE, ...defaultServerConditions] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['packages/{core,fake-kratos}/src/**/__tests__/**/*.test.ts'],
          // Type tests (`*.test-d.ts`) run through tsc and count as tests.
          typecheck: {
            enabled: true,
            include: ['packages/*/src/**/__tests__/**/*.test-d.ts'],
            tsconfig: './tsconfig.json',
          },
        },
      },
      {
        extends: true,
        test: {
          name: 'react',
          environment: 'jsdom',
          include: ['packages/react/src/**/__tests__/**/*.test.{ts,tsx}'],
        },
      },
      {
        extends: true,
        test: {
          name: 'devtools',
          environment: 'jsdom',
          include: ['packages/devtools/src/**/__tests__/**/*.test.{ts,tsx}'],
        },
      },
      {
        // The same suite on React 18.3 (npm aliases installed by packages/react). The aliases
        // cover the suite's imports; the setup file covers what Node itself loads (react-dom,
        // Testing Library), so there is one copy of React 18.
        extends: true,
        resolve: {
          alias: [
            { find: /^react$/, replacement: react18('react-18') },
            { find: /^react\/(.*)$/, replacement: `${react18('react-18')}/$1` },
            { find: /^react-dom$/, replacement: react18('react-dom-18') },
            { find: /^react-dom\/(.*)$/, replacement: `${react18('react-dom-18')}/$1` },
          ],
        },
        test: {
          name: 'react-18',
          environment: 'jsdom',
          include: [
            'packages/react/src/**/__tests__/**/*.test.{ts,tsx}',
            'packages/devtools/src/**/__tests__/**/*.test.{ts,tsx}',
          ],
          setupFiles: ['packages/react/src/__tests__/setupReact18.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'contract',
          environment: 'node',
          include: ['test/contract/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          environment: 'node',
          include: ['test/integration/**/*.test.ts'],
        },
      },
      {
        // Every ts/tsx block of README.md and docs/*.md type-checked (one tsc run), links checked.
        extends: true,
        test: {
          name: 'docs',
          environment: 'node',
          include: ['test/docs/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/globalSetup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
})
