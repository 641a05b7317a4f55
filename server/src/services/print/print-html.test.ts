import { describe, expect, it } from 'vitest';
import type { PrintModel } from '@trellis/core';
import { renderPrintHtml } from './print-html.js';

const model = (over: Partial<PrintModel> = {}): PrintModel => ({
  name: 'Order <b>',
  locale: 'en',
  paper: 'A5',
  orientation: 'landscape',
  margins: { top: 12, right: 10, bottom: 14, left: 10 },
  header: null,
  footer: { parts: [{ text: 'Page ' }, { counter: 'page' }, { text: ' of ' }, { counter: 'pages' }], logo: null },
  blocks: [],
  printedAt: '2026-01-01 00:00',
  ...over,
});

describe('renderPrintHtml', () => {
  it('sets the paper, the margins and the page counters of the footer', () => {
    const html = renderPrintHtml(model(), new Map());
    expect(html).toContain('@page { size: 210mm 148mm; margin: 12mm 10mm 14mm 10mm;');
    expect(html).toContain('@bottom-center { content: "Page " counter(page) " of " counter(pages);');
    expect(html).toContain('<title>Order &#60;b&#62;</title>');
  });

  it('keeps a header text from closing the style element or the CSS string', () => {
    const evil = '"; } </style><script>alert(1)</script> \\';
    const html = renderPrintHtml(model({ header: { parts: [{ text: evil }], logo: null } }), new Map());
    expect(html).not.toMatch(/<script/i);
    expect(html.match(/<\/style>/g)).toHaveLength(1);
    // on screen the band is element text, escaped
    expect(html).toContain('&#34;; } &#60;/style&#62;&#60;script&#62;alert(1)&#60;/script&#62; \\');
  });

  it('escapes values in every block and right-aligns number columns', () => {
    const html = renderPrintHtml(model({
      blocks: [
        { type: 'title', text: '<img src=x onerror=alert(1)>' },
        { type: 'fields', columns: 3, items: [{ key: 'a"b', label: 'L<', value: 'V&' }] },
        { type: 'subtable', key: 'lines', title: 'T', columns: [{ key: 'n', label: 'N', width: 1, align: 'right' }], rows: [['<i>1</i>']], totals: ['1'] },
        { type: 'signatures', labels: ['<u>x</u>'] },
      ],
    }), new Map());
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('data-field="a&#34;b"');
    expect(html).toContain('<dt>L&#60;</dt><dd>V&#38;</dd>');
    expect(html).toContain('<td class="num">&#60;i&#62;1&#60;/i&#62;</td>');
    expect(html).toContain('grid-template-columns: repeat(3, minmax(0, 1fr))');
    expect(html).not.toContain('<u>');
  });
});
