import type { UiContainer, UiNode, UiText } from './ui.js'

/** Escapes text for HTML content and attribute values. */
export const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[c] ?? c,
  )

/** A plain, script-free page: works in any browser and reads well to screen readers. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · fake-kratos</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:24rem;margin:3rem auto;padding:0 1rem}label,input,button{display:block;width:100%;box-sizing:border-box}input{margin:.25rem 0 1rem;padding:.5rem}button{padding:.6rem;cursor:pointer}.error{color:#b00020}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`
}

const messageHtml = (message: UiText) =>
  `<p class="${message.type}"${message.type === 'error' ? ' role="alert"' : ''} data-message-id="${message.id}">${escapeHtml(message.text)}</p>`

export const messagesHtml = (messages: UiText[] = []) => messages.map(messageHtml).join('\n')

function nodeHtml(node: UiNode, buttonText: (node: UiNode) => string): string {
  const { name, type, value, required, autocomplete } = node.attributes
  if (type === 'submit') {
    return `<button type="submit" name="${escapeHtml(name)}" value="${escapeHtml(value ?? '')}">${escapeHtml(buttonText(node))}</button>`
  }
  const attributes = [
    `name="${escapeHtml(name)}"`,
    `type="${type}"`,
    value ? `value="${escapeHtml(value)}"` : '',
    required && type !== 'hidden' ? 'required' : '',
    autocomplete ? `autocomplete="${escapeHtml(autocomplete)}"` : '',
    name === 'totp_code' ? 'inputmode="numeric"' : '',
  ].filter(Boolean)
  if (type === 'hidden') return `<input ${attributes.join(' ')}>`
  const id = `field-${name}`
  return `<label for="${id}">${escapeHtml(node.meta.label?.text ?? name)}</label>
<input id="${id}" ${attributes.join(' ')}>
${messagesHtml(node.messages)}`
}

/** A flow's form rendered from its nodes, as a Kratos UI would. */
export function formHtml(ui: UiContainer, buttonText: (node: UiNode) => string): string {
  return `<form action="${escapeHtml(ui.action)}" method="post">
${ui.nodes.map((node) => nodeHtml(node, buttonText)).join('\n')}
</form>`
}
