// Reads the Markdown the docs test checks: fenced code blocks, links and heading anchors. A
// line-based reader, enough for this repository's Markdown (GitHub-flavoured, fences of three
// backticks or more, no nested fences); it never renders anything.
import { readFileSync } from 'node:fs'

/** A fenced code block: where its opening fence is, its language and its text. */
export interface CodeBlock {
  /** Path relative to the repository root, e.g. `docs/03-react.md`. */
  file: string
  /** 1-based line of the opening fence; the block's first line is `line + 1`. */
  line: number
  lang: string
  code: string
  /** The marker comment on the line just before the fence, if any (`partial`). */
  marker: string | null
}

/** A link or image target found in the text (outside code). */
export interface Link {
  file: string
  line: number
  target: string
}

/** The comment that lets a deliberately partial snippet skip the type check (it is still parsed). */
export const MARKER = /^<!--\s*docs-test:\s*(\S+)\s*-->$/

interface Parsed {
  blocks: CodeBlock[]
  /** Text lines outside fences, with their 1-based line numbers. */
  prose: Array<{ line: number; text: string }>
}

function parse(file: string, text: string): Parsed {
  const lines = text.split('\n')
  const blocks: CodeBlock[] = []
  const prose: Parsed['prose'] = []
  let open: { line: number; fence: string; lang: string; body: string[]; marker: string | null } | null = null
  lines.forEach((raw, index) => {
    const line = index + 1
    if (open) {
      if (raw.trim().startsWith(open.fence) && raw.trim().replace(/`+/, '') === '') {
        blocks.push({
          file,
          line: open.line,
          lang: open.lang,
          code: open.body.join('\n'),
          marker: open.marker,
        })
        open = null
      } else open.body.push(raw)
      return
    }
    const fence = /^\s*(`{3,})\s*([^\s`]*)/.exec(raw)
    if (fence) {
      const before = lines[index - 1]?.trim() ?? ''
      const marker = MARKER.exec(before)?.[1] ?? null
      open = { line, fence: fence[1] as string, lang: (fence[2] ?? '').toLowerCase(), body: [], marker }
      return
    }
    prose.push({ line, text: raw })
  })
  if (open) throw new Error(`${file}:${(open as { line: number }).line}: a code fence is never closed`)
  return { blocks, prose }
}

const cache = new Map<string, Parsed>()
function parsed(root: string, file: string): Parsed {
  let result = cache.get(file)
  if (!result) {
    result = parse(file, readFileSync(`${root}/${file}`, 'utf8'))
    cache.set(file, result)
  }
  return result
}

/** Every fenced block of `file` (relative to `root`). */
export function codeBlocks(root: string, file: string): CodeBlock[] {
  return parsed(root, file).blocks
}

/** Every marker comment of `file` with its line, whether or not a fence follows it. */
export function markers(root: string, file: string): Array<{ line: number; marker: string }> {
  return parsed(root, file).prose.flatMap(({ line, text }) => {
    const found = MARKER.exec(text.trim())
    return found ? [{ line, marker: found[1] as string }] : []
  })
}

/** Inline code spans removed, so a link-like text inside backticks is not taken for a link. */
const withoutCode = (text: string) => text.replace(/(`+)[\s\S]*?\1/g, '')

/** Inline links and images `[text](target)` / `![alt](target "title")`, and `<a href>` / `<img src>`. */
export function links(root: string, file: string): Link[] {
  const found: Link[] = []
  for (const { line, text } of parsed(root, file).prose) {
    const plain = withoutCode(text)
    for (const match of plain.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      found.push({ file, line, target: match[1] as string })
    }
    for (const match of plain.matchAll(/<(?:a|img)\s[^>]*?(?:href|src)="([^"]+)"/g)) {
      found.push({ file, line, target: match[1] as string })
    }
  }
  return found
}

/**
 * GitHub's anchor for a heading (github-slugger): the text as rendered, lower-cased, with
 * everything but letters, marks, numbers, `_`, `-` and spaces removed, spaces made `-`.
 */
export function slug(heading: string): string {
  // Code spans keep their text as is (`<Gate>` reads "<Gate>"); outside them links and images
  // become their text, and inline HTML tags and emphasis marks go.
  const text = heading
    .split(/(`[^`]*`)/)
    .map((part, index) =>
      index % 2
        ? part.slice(1, -1)
        : part
            .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
            .replace(/<[^>]+>/g, '')
            .replace(/(\*\*|__|\*)(.+?)\1/g, '$2'),
    )
    .join('')
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-')
}

/** The anchors of `file`: its headings' slugs (repeats numbered as GitHub does) and `<a id|name>`. */
export function anchors(root: string, file: string): Set<string> {
  const seen = new Map<string, number>()
  const result = new Set<string>()
  for (const { text } of parsed(root, file).prose) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(text)
    if (heading) {
      const base = slug(heading[1] as string)
      const count = seen.get(base) ?? 0
      seen.set(base, count + 1)
      result.add(count ? `${base}-${count}` : base)
    }
    for (const match of text.matchAll(/<a\s[^>]*?(?:id|name)="([^"]+)"/g)) result.add(match[1] as string)
  }
  return result
}
