import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { create as createFont, type Font } from 'fontkit';
import PDFDocument from 'pdfkit';
import { bandText, type PrintBandModel, type PrintBlockModel, type PrintModel } from '@trellis/core';

const PT_PER_MM = 72 / 25.4;
const pt = (mm: number) => mm * PT_PER_MM;

const SIZES = { A4: 'A4', A5: 'A5', Letter: 'LETTER' } as const;
const BODY = 10;
const SMALL = 8;
const TITLE = 16;
const GRAY = '#555555';
const LINE = '#888888';
const CELL_PAD = 3;

/**
 * The font every PDF is set in: TRELLIS_PDF_FONT (a TTF or OTF file), else
 * Noto Sans SC (Noto Sans Hans, SIL Open Font License) as shipped by the npm
 * package @embedpdf/fonts-sc. It has Chinese and Latin glyphs; pdfkit embeds
 * only the glyphs a document uses, so a PDF stays small.
 */
export function pdfFontPath(configured: string | null = null): string {
  if (configured) return configured;
  const entry = createRequire(import.meta.url).resolve('@embedpdf/fonts-sc');
  return join(dirname(entry), '..', 'fonts', 'NotoSansHans-Regular.otf');
}

const fonts = new Map<string, Promise<Font>>();

/**
 * A font file, read and parsed once (about 8 MB for the default font) and shared by every PDF:
 * pdfkit takes a parsed font and makes its own subset of it per document.
 */
export function loadPdfFont(file: string): Promise<Font> {
  let font = fonts.get(file);
  if (!font) {
    font = readFile(file)
      .then((bytes) => {
        const parsed = createFont(bytes);
        if (!('layout' in parsed)) throw new Error(`${file} is a font collection: set TRELLIS_PDF_FONT to a single TTF or OTF font`);
        return parsed;
      })
      .catch((e: unknown) => {
        fonts.delete(file);
        throw e;
      });
    fonts.set(file, font);
  }
  return font;
}

type Doc = PDFKit.PDFDocument;

/**
 * A record's print model as a PDF: real (extractable) text in the embedded
 * font, sub-tables that break across pages with their header row repeated,
 * the header and footer on every page with `{page}` and `{pages}` filled in.
 * The document is a readable stream of the PDF's bytes.
 */
export function renderPrintPdf(model: PrintModel, images: ReadonlyMap<string, { type: string; bytes: Buffer }>, parsedFont: Font): Doc {
  const margins = { top: pt(model.margins.top), right: pt(model.margins.right), bottom: pt(model.margins.bottom), left: pt(model.margins.left) };
  const doc = new PDFDocument({
    size: SIZES[model.paper], layout: model.orientation, margins, bufferPages: true,
    info: { Title: model.name, Producer: 'Trellis', Creator: 'Trellis' },
  });
  // pdfkit 0.20 takes a parsed fontkit font as it is (its types know only paths and bytes)
  doc.registerFont('body', parsedFont as unknown as Buffer);
  doc.font('body').fontSize(BODY).fillColor('#111111');
  const blocks = model.blocks;
  blocks.forEach((b, i) => drawBlock(doc, b, i === blocks.length - 1));
  drawBands(doc, model, images);
  doc.end();
  return doc;
}

const left = (doc: Doc) => doc.page.margins.left;
const usable = (doc: Doc) => doc.page.width - doc.page.margins.left - doc.page.margins.right;
const bottom = (doc: Doc) => doc.page.height - doc.page.margins.bottom;
const atTop = (doc: Doc) => doc.y <= doc.page.margins.top + 0.5;

/** A new page unless `h` more points fit on this one (or this page is still empty: then it would not fit anywhere). */
function ensure(doc: Doc, h: number): void {
  if (doc.y + h > bottom(doc) && !atTop(doc)) doc.addPage();
}

function drawBlock(doc: Doc, b: PrintBlockModel, last: boolean): void {
  const x = left(doc);
  const width = usable(doc);
  switch (b.type) {
    case 'title': {
      doc.fontSize(TITLE);
      ensure(doc, doc.heightOfString(b.text, { width }));
      doc.fillColor('#111111').text(b.text, x, doc.y, { width, align: 'center' });
      doc.moveDown(0.5);
      doc.fontSize(BODY);
      return;
    }
    case 'text': {
      doc.fontSize(BODY);
      ensure(doc, Math.min(doc.heightOfString(b.text, { width }), doc.currentLineHeight(true) * 2));
      // pdfkit carries long text on to the next pages itself
      doc.fillColor('#111111').text(b.text, x, doc.y, { width });
      doc.moveDown(0.5);
      return;
    }
    case 'fields':
      return drawFields(doc, b);
    case 'subtable':
      return drawTable(doc, b);
    case 'signatures': {
      const gap = pt(10);
      const h = pt(22);
      ensure(doc, h);
      const w = (width - gap * (b.labels.length - 1)) / b.labels.length;
      const y = doc.y + pt(12);
      b.labels.forEach((label, i) => {
        const sx = x + i * (w + gap);
        doc.moveTo(sx, y).lineTo(sx + w, y).lineWidth(0.8).strokeColor('#111111').stroke();
        doc.fontSize(SMALL + 1).fillColor('#333333').text(label, sx, y + 3, { width: w, lineBreak: false, ellipsis: true });
      });
      doc.fontSize(BODY).fillColor('#111111');
      doc.x = x;
      doc.y = y + pt(10);
      return;
    }
    case 'spacer': {
      const h = pt(b.height);
      if (doc.y + h > bottom(doc)) doc.addPage();
      else doc.y += h;
      return;
    }
    case 'pageBreak':
      if (!last && !atTop(doc)) doc.addPage();
      return;
    default: {
      const never: never = b;
      throw new Error(`unknown print block ${JSON.stringify(never)}`);
    }
  }
}

function drawFields(doc: Doc, b: Extract<PrintBlockModel, { type: 'fields' }>): void {
  const x = left(doc);
  const gap = pt(6);
  const colW = (usable(doc) - gap * (b.columns - 1)) / b.columns;
  for (let i = 0; i < b.items.length; i += b.columns) {
    const row = b.items.slice(i, i + b.columns);
    const heights = row.map((item) => {
      doc.fontSize(SMALL);
      const lh = doc.heightOfString(item.label || ' ', { width: colW });
      doc.fontSize(BODY);
      return lh + doc.heightOfString(item.value || ' ', { width: colW });
    });
    const h = Math.max(...heights) + 6;
    ensure(doc, h);
    const y = doc.y;
    row.forEach((item, j) => {
      const cx = x + j * (colW + gap);
      doc.fontSize(SMALL).fillColor(GRAY).text(item.label, cx, y, { width: colW });
      doc.fontSize(BODY).fillColor('#111111').text(item.value || ' ', cx, doc.y, { width: colW });
      doc.moveTo(cx, y + h - 3).lineTo(cx + colW, y + h - 3).lineWidth(0.4).strokeColor('#cccccc').stroke();
    });
    doc.x = x;
    doc.y = y + h;
  }
  doc.moveDown(0.5);
}

function drawTable(doc: Doc, b: Extract<PrintBlockModel, { type: 'subtable' }>): void {
  const x = left(doc);
  const width = usable(doc);
  const weight = b.columns.reduce((s, c) => s + c.width, 0);
  const widths = b.columns.map((c) => (c.width / weight) * width);
  const fontSize = 9;
  const rowHeight = (cells: readonly string[]) => {
    doc.fontSize(fontSize);
    return Math.max(...cells.map((c, i) => doc.heightOfString(c || ' ', { width: widths[i]! - 2 * CELL_PAD }))) + 2 * CELL_PAD;
  };
  const drawRow = (cells: readonly string[], h: number, fill: string | null) => {
    const y = doc.y;
    let cx = x;
    cells.forEach((c, i) => {
      const w = widths[i]!;
      if (fill) doc.rect(cx, y, w, h).fillColor(fill).fill();
      doc.rect(cx, y, w, h).lineWidth(0.5).strokeColor(LINE).stroke();
      doc.fontSize(fontSize).fillColor('#111111').text(c, cx + CELL_PAD, y + CELL_PAD, { width: w - 2 * CELL_PAD, align: b.columns[i]!.align });
      cx += w;
    });
    doc.x = x;
    doc.y = y + h;
  };
  const labels = b.columns.map((c) => c.label);
  const headH = rowHeight(labels);
  let captionH = 0;
  if (b.title) {
    doc.fontSize(BODY + 1);
    captionH = doc.heightOfString(b.title, { width }) + 3;
  }
  // the caption, the header and the first row stay together
  ensure(doc, captionH + headH + (b.rows[0] ? rowHeight(b.rows[0]) : 0));
  if (b.title) {
    doc.fontSize(BODY + 1).fillColor('#111111').text(b.title, x, doc.y, { width });
    doc.y += 3;
  }
  drawRow(labels, headH, '#eeeeee');
  const body = b.totals ? [...b.rows.map((r) => ({ cells: r, fill: null })), { cells: b.totals, fill: '#f6f6f6' }] : b.rows.map((r) => ({ cells: r, fill: null }));
  for (const r of body) {
    const h = rowHeight(r.cells);
    if (doc.y + h > bottom(doc)) {
      // a row is never split: it goes to the next page, under the header row again
      doc.addPage();
      drawRow(labels, headH, '#eeeeee');
    }
    drawRow(r.cells, h, r.fill);
  }
  doc.fontSize(BODY);
  doc.moveDown(0.7);
}

/** The header and footer of every page, written once the number of pages is known. */
function drawBands(doc: Doc, model: PrintModel, images: ReadonlyMap<string, { type: string; bytes: Buffer }>): void {
  const range = doc.bufferedPageRange();
  const pages = range.count;
  const source = (band: PrintBandModel | null) => {
    const image = band?.logo ? images.get(band.logo.id) : undefined;
    return image ? `data:${image.type};base64,${image.bytes.toString('base64')}` : null;
  };
  const headerLogo = source(model.header);
  const footerLogo = source(model.footer);
  for (let i = range.start; i < range.start + pages; i++) {
    doc.switchToPage(i);
    const m = doc.page.margins;
    const saved = { ...m };
    // writing inside the margins must not start a new page
    doc.page.margins = { top: 0, bottom: 0, left: m.left, right: m.right };
    const x = saved.left;
    const width = doc.page.width - saved.left - saved.right;
    doc.fontSize(SMALL + 1).fillColor('#444444');
    const lineH = doc.currentLineHeight(true);
    if (model.header) {
      const y = Math.max(4, saved.top / 2 - lineH / 2);
      if (headerLogo) doc.image(headerLogo, x, Math.max(4, saved.top * 0.15), { fit: [pt(40), saved.top * 0.7] });
      const text = bandText(model.header.parts, i - range.start + 1, pages);
      if (text) doc.text(text, x, y, { width, align: 'center', lineBreak: false, ellipsis: true });
    }
    if (model.footer) {
      const y = doc.page.height - saved.bottom / 2 - lineH / 2;
      if (footerLogo) doc.image(footerLogo, x, doc.page.height - saved.bottom * 0.85, { fit: [pt(40), saved.bottom * 0.7] });
      const text = bandText(model.footer.parts, i - range.start + 1, pages);
      if (text) doc.text(text, x, y, { width, align: 'center', lineBreak: false, ellipsis: true });
    }
    doc.page.margins = saved;
  }
}
