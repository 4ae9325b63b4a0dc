import { describe, expect, it } from 'vitest';
import { parseBlocks, parseInline, plainText } from './format.ts';

describe('parseBlocks', () => {
  it('keeps line breaks inside a paragraph and splits paragraphs on blank lines', () => {
    expect(parseBlocks('one\ntwo\n\nthree')).toEqual([
      { type: 'paragraph', lines: [[{ type: 'text', text: 'one' }], [{ type: 'text', text: 'two' }]] },
      { type: 'paragraph', lines: [[{ type: 'text', text: 'three' }]] },
    ]);
  });

  it('turns dash, star and bullet lines into a list, and numbers into an ordered list', () => {
    const blocks = parseBlocks('AC/DC albums:\n- For Those About To Rock\n* Let There Be Rock\n1. first\n2) second');
    expect(blocks.map((b) => b.type)).toEqual(['paragraph', 'list', 'list']);
    expect(blocks[1]).toMatchObject({ ordered: false, items: [[{ text: 'For Those About To Rock' }], [{ text: 'Let There Be Rock' }]] });
    expect(blocks[2]).toMatchObject({ ordered: true, items: [[{ text: 'first' }], [{ text: 'second' }]] });
  });

  it('continues a list item on an indented line', () => {
    expect(parseBlocks('- Invoice 98\n  $3.98')).toEqual([
      { type: 'list', ordered: false, items: [[{ type: 'text', text: 'Invoice 98' }, { type: 'text', text: ' ' }, { type: 'text', text: '$3.98' }]] },
    ]);
  });

  it('reads headings as their own block', () => {
    expect(parseBlocks('## Orders')).toEqual([{ type: 'heading', line: [{ type: 'text', text: 'Orders' }] }]);
  });

  it('normalizes CRLF and ignores trailing blank lines', () => {
    expect(parseBlocks('a\r\nb\r\n\r\n')).toHaveLength(1);
  });
});

describe('parseInline', () => {
  it('marks **bold**, __bold__ and `code`, leaving markup-like server text as plain text', () => {
    expect(parseInline('Refund **$3.98** for `98` <b>x</b>')).toEqual([
      { type: 'text', text: 'Refund ' },
      { type: 'strong', text: '$3.98' },
      { type: 'text', text: ' for ' },
      { type: 'code', text: '98' },
      { type: 'text', text: ' <b>x</b>' },
    ]);
    expect(parseInline('__yes__')).toEqual([{ type: 'strong', text: 'yes' }]);
  });

  it('leaves a lone asterisk alone', () => {
    expect(parseInline('5 * 3')).toEqual([{ type: 'text', text: '5 * 3' }]);
  });
});

describe('plainText', () => {
  it('drops the markup', () => {
    expect(plainText('**Two** albums:\n- A\n- B')).toBe('Two albums:\nA\nB');
  });
});
