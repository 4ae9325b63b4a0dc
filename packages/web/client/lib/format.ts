// Markdown-ish text → plain data blocks (paragraphs with line breaks, bullet and numbered lists, **bold**, `code`).
// Pure, so it is tested without a DOM; `render-text.ts` turns the blocks into elements with text nodes only.

export type Inline = { type: 'text' | 'strong' | 'code'; text: string };
export type Line = Inline[];
export type Block =
  | { type: 'paragraph'; lines: Line[] }
  | { type: 'heading'; line: Line }
  | { type: 'list'; ordered: boolean; items: Line[] };

const BULLET = /^\s*[-*•]\s+(.*)$/;
const NUMBERED = /^\s*\d{1,3}[.)]\s+(.*)$/;
const HEADING = /^\s*#{1,6}\s+(.*)$/;

export function parseBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | undefined;
  const flush = () => {
    if (current) blocks.push(current);
    current = undefined;
  };

  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trimEnd();
    if (!line.trim()) {
      flush();
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    const heading = bullet || numbered ? null : HEADING.exec(line);
    if (bullet || numbered) {
      const ordered = Boolean(numbered);
      const content = parseInline((bullet ?? numbered)![1]!);
      if (current?.type !== 'list' || current.ordered !== ordered) {
        flush();
        current = { type: 'list', ordered, items: [] };
      }
      current.items.push(content);
    } else if (heading) {
      flush();
      blocks.push({ type: 'heading', line: parseInline(heading[1]!) });
    } else if (current?.type === 'list' && /^\s{2,}\S/.test(raw)) {
      // An indented line continues the previous list item.
      const last = current.items[current.items.length - 1]!;
      last.push({ type: 'text', text: ' ' }, ...parseInline(line.trim()));
    } else {
      if (current?.type !== 'paragraph') {
        flush();
        current = { type: 'paragraph', lines: [] };
      }
      current.lines.push(parseInline(line));
    }
  }
  flush();
  return blocks;
}

const INLINE = /\*\*([^*]+?)\*\*|__([^_]+?)__|`([^`]+?)`/g;

export function parseInline(text: string): Line {
  const out: Line = [];
  let index = 0;
  for (const match of text.matchAll(INLINE)) {
    if (match.index > index) out.push({ type: 'text', text: text.slice(index, match.index) });
    const code = match[3];
    out.push(code !== undefined ? { type: 'code', text: code } : { type: 'strong', text: (match[1] ?? match[2])! });
    index = match.index + match[0].length;
  }
  if (index < text.length) out.push({ type: 'text', text: text.slice(index) });
  return out;
}

/** The same text without markup, for screen-reader announcements. */
export function plainText(text: string): string {
  return parseBlocks(text)
    .flatMap((block) =>
      block.type === 'paragraph' ? block.lines : block.type === 'heading' ? [block.line] : block.items,
    )
    .map((line) => line.map((part) => part.text).join(''))
    .join('\n');
}
