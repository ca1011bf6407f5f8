// Modules of the reader's own app that the docs' blocks import (a recipe's second file), declared
// as that recipe writes them. A script file (no top-level import), so these declare new modules.

declare module '@/lib/redis' {
  /** docs/05-server.md, "lib/redis.ts": one connected node-redis client per process. */
  export const redis: Promise<ReturnType<typeof import('redis').createClient>>
}

declare module '@/app/session-provider' {
  /** docs/07-recipes.md, "app/session-provider.tsx". */
  export function SessionProvider(props: {
    initialSession: import('@session-keeper/react').Session | null | undefined
    children: import('react').ReactNode
  }): import('react').ReactNode
}
