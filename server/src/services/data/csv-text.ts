/** RFC 4180 CSV writing and incremental parsing (no dependency: the format is small and the parser streams). */

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV line (CRLF-terminated) from cells; cells with a comma, quote or line break are quoted. */
export function csvLine(cells: readonly string[]): string {
  return `${cells.map((c) => (NEEDS_QUOTES.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')}\r\n`;
}

/**
 * Parses CSV text given in chunks of any size (a quoted cell may span chunks
 * and lines). Rows come out through `onRow` as they complete; `end()` flushes
 * the last row. A leading UTF-8 BOM is dropped. Blank lines are skipped.
 */
export class CsvParser {
  private cell = '';
  private row: string[] = [];
  private quoted = false;
  /** inside quotes, a `"` was just seen: either the closing quote or the first of `""` */
  private quotePending = false;
  private started = false;
  private lastWasCr = false;

  constructor(private readonly onRow: (row: string[]) => void) {}

  write(chunk: string): void {
    let text = chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (this.quoted) {
        if (this.quotePending) {
          this.quotePending = false;
          if (ch === '"') {
            this.cell += '"';
            continue;
          }
          this.quoted = false; // the quote closed the cell's quoted part: handle ch below
        } else if (ch === '"') {
          this.quotePending = true;
          continue;
        } else {
          this.cell += ch;
          continue;
        }
      }
      if (ch === '\n' && this.lastWasCr) {
        this.lastWasCr = false;
        continue;
      }
      this.lastWasCr = ch === '\r';
      if (ch === '"' && this.cell === '') this.quoted = true;
      else if (ch === ',') this.endCell();
      else if (ch === '\r' || ch === '\n') this.endRow();
      else this.cell += ch;
    }
  }

  end(): void {
    if (this.quoted && !this.quotePending) throw new Error('The CSV ends inside a quoted cell');
    this.quoted = false;
    this.quotePending = false;
    if (this.cell !== '' || this.row.length > 0) this.endRow();
  }

  private endCell(): void {
    this.row.push(this.cell);
    this.cell = '';
  }

  private endRow(): void {
    this.endCell();
    const row = this.row;
    this.row = [];
    if (row.length === 1 && row[0] === '') return;
    this.onRow(row);
  }
}
