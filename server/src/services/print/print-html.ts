import { PAPER_MM, type BandPart, type PrintBandModel, type PrintBlockModel, type PrintModel } from '@trellis/core';

/** Text for HTML element content and attribute values: every value printed goes through here. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A CSS string literal with everything but plain ASCII letters and digits escaped (so no text can end the string or the style element). */
function cssString(s: string): string {
  return `"${[...s].map((c) => (/[A-Za-z0-9 ]/.test(c) ? c : `\\${c.codePointAt(0)!.toString(16)} `)).join('')}"`;
}

/** A header or footer as the `content` of a page margin box: the page counters are CSS counters. */
function cssContent(parts: readonly BandPart[]): string {
  const out = parts.map((p) => ('text' in p ? cssString(p.text) : `counter(${p.counter})`));
  return out.length ? out.join(' ') : '""';
}

/** On screen there are no pages: the counters read as the first page of however many there will be. */
function screenText(parts: readonly BandPart[]): string {
  return parts.map((p) => ('text' in p ? p.text : p.counter === 'page' ? '1' : '…')).join('');
}

const mm = (n: number) => `${Math.round(n * 100) / 100}mm`;

function logoTag(band: PrintBandModel | null, images: ReadonlyMap<string, { type: string; bytes: Buffer }>): string {
  const logo = band?.logo;
  const image = logo ? images.get(logo.id) : undefined;
  if (!logo || !image) return '';
  return `<img class="logo" alt="${escapeHtml(logo.name)}" src="data:${image.type};base64,${image.bytes.toString('base64')}">`;
}

function block(b: PrintBlockModel): string {
  switch (b.type) {
    case 'title':
      return `<h1 class="title">${escapeHtml(b.text)}</h1>`;
    case 'text':
      return `<p class="text">${escapeHtml(b.text)}</p>`;
    case 'fields':
      return `<dl class="fields" style="grid-template-columns: repeat(${b.columns}, minmax(0, 1fr))">${b.items
        .map((i) => `<div class="field" data-field="${escapeHtml(i.key)}"><dt>${escapeHtml(i.label)}</dt><dd>${escapeHtml(i.value) || '&nbsp;'}</dd></div>`)
        .join('')}</dl>`;
    case 'subtable': {
      const total = b.columns.reduce((s, c) => s + c.width, 0);
      const cols = b.columns.map((c) => `<col style="width: ${((c.width / total) * 100).toFixed(2)}%">`).join('');
      const cell = (tag: 'th' | 'td', text: string, i: number) => `<${tag}${b.columns[i]!.align === 'right' ? ' class="num"' : ''}>${escapeHtml(text)}</${tag}>`;
      const head = `<thead><tr>${b.columns.map((c, i) => cell('th', c.label, i)).join('')}</tr></thead>`;
      const rows = b.rows.map((r) => `<tr>${r.map((v, i) => cell('td', v, i)).join('')}</tr>`).join('');
      const totals = b.totals ? `<tr class="totals">${b.totals.map((v, i) => cell('td', v, i)).join('')}</tr>` : '';
      const caption = b.title ? `<caption>${escapeHtml(b.title)}</caption>` : '';
      return `<table class="subtable" data-field="${escapeHtml(b.key)}">${caption}<colgroup>${cols}</colgroup>${head}<tbody>${rows}${totals}</tbody></table>`;
    }
    case 'signatures':
      return `<div class="signatures">${b.labels.map((l) => `<div class="signature"><div class="line"></div><div class="label">${escapeHtml(l)}</div></div>`).join('')}</div>`;
    case 'spacer':
      return `<div class="spacer" style="height: ${mm(b.height)}"></div>`;
    case 'pageBreak':
      return '<div class="page-break"></div>';
    default: {
      const never: never = b;
      throw new Error(`unknown print block ${JSON.stringify(never)}`);
    }
  }
}

/**
 * A complete, standalone printable page: a print stylesheet with the paper
 * size and margins, the header and footer in the page margin boxes (with page
 * counters), sub-tables whose header repeats on every page and whose rows are
 * not split. Every value is escaped; the page allows no script.
 */
export function renderPrintHtml(model: PrintModel, images: ReadonlyMap<string, { type: string; bytes: Buffer }>): string {
  const paper = PAPER_MM[model.paper];
  const [width, height] = model.orientation === 'landscape' ? [paper.height, paper.width] : [paper.width, paper.height];
  const m = model.margins;
  const header = model.header?.parts.length ? `@top-center { content: ${cssContent(model.header.parts)}; font-size: 9pt; color: #444; }` : '';
  const footer = model.footer?.parts.length ? `@bottom-center { content: ${cssContent(model.footer.parts)}; font-size: 9pt; color: #444; }` : '';
  const band = (b: PrintBandModel | null, cls: string) => (b?.parts.length ? `<div class="band ${cls}">${escapeHtml(screenText(b.parts))}</div>` : '');
  const logos = logoTag(model.header, images) + logoTag(model.footer, images);
  const style = `
@page { size: ${mm(width)} ${mm(height)}; margin: ${mm(m.top)} ${mm(m.right)} ${mm(m.bottom)} ${mm(m.left)}; ${header} ${footer} }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; font-family: "Noto Sans SC", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif; font-size: 10pt; color: #111; line-height: 1.4; }
.sheet { width: ${mm(width)}; min-height: ${mm(height)}; padding: ${mm(m.top)} ${mm(m.right)} ${mm(m.bottom)} ${mm(m.left)}; margin: 0 auto; background: #fff; }
.band { font-size: 9pt; color: #444; text-align: center; }
.band.top { margin-bottom: 4mm; } .band.bottom { margin-top: 6mm; }
.logo { max-height: 16mm; max-width: 60mm; display: block; margin-bottom: 3mm; }
.title { font-size: 16pt; text-align: center; margin: 0 0 4mm; }
.text { white-space: pre-wrap; margin: 0 0 3mm; }
.fields { display: grid; gap: 1.5mm 6mm; margin: 0 0 4mm; }
.field { break-inside: avoid; border-bottom: 0.2mm solid #ccc; padding-bottom: 1mm; }
.field dt { font-size: 8pt; color: #555; }
.field dd { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.subtable { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 0 0 4mm; }
.subtable caption { text-align: left; font-weight: 600; padding-bottom: 1mm; }
.subtable thead { display: table-header-group; }
.subtable tr { break-inside: avoid; page-break-inside: avoid; }
.subtable th, .subtable td { border: 0.2mm solid #888; padding: 1mm 1.5mm; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
.subtable th { background: #eee; font-weight: 600; }
.subtable .num { text-align: right; }
.subtable .totals td { font-weight: 600; background: #f6f6f6; }
.signatures { display: flex; gap: 10mm; margin: 10mm 0 4mm; break-inside: avoid; }
.signature { flex: 1; }
.signature .line { border-bottom: 0.3mm solid #111; height: 12mm; }
.signature .label { font-size: 9pt; color: #333; padding-top: 1mm; }
.page-break { break-after: page; page-break-after: always; }
@media screen { body { background: #e5e5e5; padding: 8mm 0; } .sheet { box-shadow: 0 1px 6px rgba(0,0,0,.25); } }
/* a phone shows the page as wide as the screen; paper sizes apply when printing */
@media screen and (max-width: 820px) { body { padding: 0; background: #fff; } .sheet { width: auto; min-height: 0; padding: 6mm 4mm; box-shadow: none; } .fields { grid-template-columns: minmax(0, 1fr) !important; } }
@media print { .sheet { width: auto; min-height: 0; padding: 0; margin: 0; } .band { display: none; } }
`;
  return `<!doctype html>
<html lang="${model.locale === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(model.name)}</title>
<style>${style}</style>
</head>
<body>
<div class="sheet">
${band(model.header, 'top')}${logos}
${model.blocks.map(block).join('\n')}
${band(model.footer, 'bottom')}
</div>
</body>
</html>
`;
}
