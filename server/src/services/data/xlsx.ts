import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';

/**
 * A streamed XLSX workbook with one sheet: rows are written as they come (exceljs' WorkbookWriter), never held
 * whole; the next row is read only once the reader has taken what is written (exceljs itself does not wait).
 */
export function xlsxStream(sheetName: string, rows: AsyncIterable<(string | number)[]>): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName.replace(/[[\]*?:/\\]/g, ' ').slice(0, 31) || 'Sheet1');
  void (async () => {
    try {
      for await (const row of rows) {
        sheet.addRow(row).commit();
        if (out.writableNeedDrain) {
          // a reader that went away closes the stream: stop reading rows (the cursor ends with the loop)
          const ac = new AbortController();
          await Promise.race([once(out, 'drain', { signal: ac.signal }), once(out, 'close', { signal: ac.signal })]).catch(() => {});
          ac.abort();
        }
        if (out.destroyed) return;
      }
      sheet.commit();
      await workbook.commit();
    } catch (e) {
      out.destroy(e as Error);
    }
  })();
  return out;
}

/** A cell's value as the text an import reads (the field-type registry converts it). */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) {
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('result' in v) return v.result === undefined ? '' : cellText(v.result as ExcelJS.CellValue);
  if ('text' in v) return String(v.text);
  if ('error' in v) return String(v.error);
  return '';
}

/** The rows of the first sheet of an XLSX file, as text cells, read as a stream (exceljs' WorkbookReader). */
export async function eachXlsxRow(file: Readable, onRow: (row: string[]) => Promise<void> | void): Promise<void> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit', entries: 'emit' });
  for await (const sheet of reader) {
    for await (const row of sheet) {
      const values = row.values as ExcelJS.CellValue[];
      const cells: string[] = [];
      for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
      if (cells.every((c) => c === '')) continue;
      await onRow(cells);
    }
    return; // the first sheet only
  }
}
