import type { Readable } from 'node:stream';
import {
  andFilters, csvHeader, fieldType, labelText, encodeCursor, normalizeListQuery, recordToCsvRow, visibleDefinition, type ListQuery,
} from '@trellis/core';
import type { Caller } from '../access/actor.js';
import type { RecordService } from '../record-service.js';
import type { Store } from '../../store/port.js';
import { csvLine } from './csv-text.js';
import { xlsxStream } from './xlsx.js';

export type HeaderStyle = 'key' | 'en' | 'zh';

/** Records read per store page while exporting: memory stays at one page whatever the export's size. */
const PAGE = 2000;

/**
 * CSV export of a form's records: only the records the caller's `export`
 * grant reaches and only the fields they may see, formula-like cells
 * neutralised (core's recordToCsvRow), read page by page with the store's
 * cursor and yielded as text, so the reply streams.
 */
export class ExportService {
  constructor(private readonly store: Store, private readonly records: RecordService) {}

  /** Checks access and the query up front (errors become HTTP replies), then returns the file name and the CSV text stream. */
  async csv(formId: string, query: Pick<ListQuery, 'filter' | 'sort'>, header: HeaderStyle, caller: Caller): Promise<{ fileName: string; body: AsyncIterable<string> }> {
    const { title, rows } = await this.rows(formId, query, header, caller, false);
    async function* body(): AsyncIterable<string> {
      // the BOM makes Excel read the file as UTF-8 (Chinese text opens correctly)
      let first = true;
      let chunk = '';
      for await (const row of rows) {
        chunk += csvLine(row as string[]);
        if (first) {
          chunk = `\uFEFF${chunk}`;
          first = false;
        }
        if (chunk.length >= 64 * 1024) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk) yield chunk;
    }
    return { fileName: `${title}.csv`, body: body() };
  }

  /** The same as an XLSX workbook (one sheet), written as a stream; numbers stay numbers, text cells are neutralised as in CSV. */
  async xlsx(formId: string, query: Pick<ListQuery, 'filter' | 'sort'>, header: HeaderStyle, caller: Caller): Promise<{ fileName: string; body: Readable }> {
    const { title, rows } = await this.rows(formId, query, header, caller, true);
    return { fileName: `${title}.xlsx`, body: xlsxStream(title, rows) };
  }

  /** The header, then one row per exported record (with `typed`, numbers as numbers), read page by page. */
  private async rows(formId: string, query: Pick<ListQuery, 'filter' | 'sort'>, header: HeaderStyle, caller: Caller, typed: boolean): Promise<{ title: string; rows: AsyncIterable<(string | number)[]> }> {
    const { published, access } = await this.records.exportAccess(formId, caller);
    const { compiled } = published;
    const definition = visibleDefinition(compiled.definition, access.hidden);
    const first = normalizeListQuery({ ...query, limit: 1 }, definition, this.records.clock());
    const filter = andFilters([access.scope.export, first.filter]);
    const fields = [...compiled.fields.values()];
    const columns = fields.map((f, i) => ({ f, i })).filter((c) => !access.hidden.has(c.f.key));
    const store = this.store;
    const clock = () => this.records.clock();
    async function* rows(): AsyncIterable<(string | number)[]> {
      const head = csvHeader(compiled, header);
      yield columns.map((c) => head[c.i] ?? '');
      let after = first.after;
      for (;;) {
        const page = await store.records.find(formId, { filter, sort: first.sort, limit: PAGE, after, count: false });
        for (const r of page.items) {
          const cells = recordToCsvRow(compiled, r.data);
          yield columns.map((c) => {
            const v = r.data[c.f.key];
            return typed && typeof v === 'number' && fieldType(c.f.type).facts(c.f).storage === 'number' ? v : (cells[c.i] ?? '');
          });
        }
        const last = page.items.at(-1);
        if (!page.hasMore || !last) return;
        after = normalizeListQuery({ sort: query.sort, cursor: encodeCursor(first.sort, last), limit: 1 }, definition, clock()).after;
      }
    }
    return { title: labelText(compiled.definition.name, 'en') || formId, rows: rows() };
  }
}
