'use client'
// Public API of @session-keeper/react. It re-exports the core so apps install one package;
// the hooks and components arrive with their own modules.
export * from '@session-keeper/core'
