/** The example's folder, with a trailing slash. */
export const NEXT_APP: string
/** Whether `.next` is older than the app's or the packages' sources or the lockfile. */
export function nextAppIsStale(): boolean
/** Builds core, react and the Next.js example as needed. */
export function buildNextApp(): Promise<void>
