import { h } from './dom.ts';
import { parseBlocks, type Line } from './format.ts';

/** Renders markdown-ish text into `container` using text nodes only. */
export function renderText(container: HTMLElement, text: string): void {
  const nodes = parseBlocks(text).map((block) => {
    if (block.type === 'heading') return h('p', { class: 'md-heading' }, renderLine(block.line));
    if (block.type === 'list') {
      return h(block.ordered ? 'ol' : 'ul', null, block.items.map((item) => h('li', null, renderLine(item))));
    }
    const p = h('p');
    block.lines.forEach((line, i) => {
      if (i > 0) p.appendChild(h('br'));
      p.append(...renderLine(line));
    });
    return p;
  });
  container.replaceChildren(...nodes);
}

function renderLine(line: Line): Node[] {
  return line.map((part) =>
    part.type === 'strong' ? h('strong', null, part.text) : part.type === 'code' ? h('code', null, part.text) : document.createTextNode(part.text),
  );
}
