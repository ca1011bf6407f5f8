import type { ResolvedOptions } from './options.js'

/** Options once the server listens: the URLs are known. */
export interface Config extends ResolvedOptions {
  publicUrl: string
  defaultReturnUrl: string
}
