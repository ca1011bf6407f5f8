// The devtools in every build, production included: for those who want them there.
export { SessionKeeperDevtools, type SessionKeeperDevtoolsProps } from './SessionKeeperDevtools.js'
export type { DevtoolsPosition } from './styles.js'
