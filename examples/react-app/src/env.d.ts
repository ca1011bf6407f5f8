/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Kratos public URL or Ory Network project URL. @default 'http://localhost:4433' */
  readonly VITE_KRATOS_URL?: string
}

interface ImportMeta {
  readonly env: ImportMetaEnv
}
