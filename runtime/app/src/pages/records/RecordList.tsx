// The list itself: search box, filter and sort panels, and pages of records loaded as the
// end of the list scrolls into view (a "Load more" button does the same without IntersectionObserver).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Filter, FormDefinition } from '@trellis/core';
import { post } from '../../lib/api';
import { useT } from '../../lib/i18n';
import { ErrorBox, Loading } from '../../ui/common';
import { usePeople } from '../../ui/people';
import type { ListReply, RecordItem } from '../../ui/types';
import { FilterPanel } from './FilterPanel';
import { buildQuery, DEFAULT_SORT, OP_LABELS, type ListState } from './query';
import { RecordRow, summaryFields } from './RecordRow';
import { SortPanel } from './SortPanel';
import type { FormPermissions } from '../../ui/types';
import { bulkFields } from './bulk';
import { BulkBar, BulkSummary, type BulkOutcome } from './BulkBar';
import { ExportButton } from './ExportButton';
import './bulk.css';

interface Loaded {
  items: RecordItem[];
  next: string | null;
  total: number | null;
  status: 'loading' | 'idle' | 'error';
  error: unknown;
}

const EMPTY: Loaded = { items: [], next: null, total: null, status: 'loading', error: null };

// `scope`: a filter AND-ed into every page (a dashboard drill-down); keep it referentially stable
export function RecordList({ formId, def, permissions, scope }: { formId: string; def: FormDefinition; permissions?: FormPermissions; scope?: Filter | undefined }) {
  const t = useT();
  const people = usePeople();
  const [state, setState] = useState<ListState>({ search: '', filter: null, sort: DEFAULT_SORT });
  const [searchText, setSearchText] = useState('');
  const [panel, setPanel] = useState<'filter' | 'sort' | null>(null);
  const [list, setList] = useState<Loaded>(EMPTY);
  const generation = useRef(0);
  const sentinel = useRef<HTMLDivElement>(null);
  const fields = summaryFields(def);
  const editable = bulkFields(def, permissions);
  const canDelete = !!permissions?.actions.includes('delete');
  const canExport = !!permissions?.actions.some((a) => a === 'export' || a === 'manage');
  const [selecting, setSelecting] = useState(false);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [outcome, setOutcome] = useState<BulkOutcome | null>(null);
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  // search as one types, once the typing pauses
  useEffect(() => {
    const h = setTimeout(() => setState((s) => (s.search === searchText ? s : { ...s, search: searchText })), 300);
    return () => clearTimeout(h);
  }, [searchText]);

  const load = useCallback(
    async (cursor: string | null) => {
      // a new search drops answers to the old one still on their way
      const mine = cursor === null ? ++generation.current : generation.current;
      setList((l) => (cursor === null ? EMPTY : { ...l, status: 'loading', error: null }));
      try {
        const query = buildQuery(def, state, cursor);
        if (scope) query.filter = query.filter ? { and: [scope, query.filter] } : scope;
        if (cursor === null) query.count = true;
        const r = await post<ListReply & { total?: number }>(`/api/forms/${formId}/records/query`, query);
        if (mine !== generation.current) return;
        setList((l) => ({
          items: cursor === null ? r.items : [...l.items, ...r.items],
          next: r.nextCursor,
          total: r.total ?? l.total,
          status: 'idle',
          error: null,
        }));
      } catch (error) {
        if (mine === generation.current) setList((l) => ({ ...l, status: 'error', error }));
      }
    },
    [formId, def, state, scope],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  // the next page loads as the end of the list comes into view
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !list.next || list.status !== 'idle' || typeof IntersectionObserver === 'undefined') return;
    const next = list.next;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        io.disconnect();
        void load(next);
      }
    }, { rootMargin: '200px' });
    io.observe(el);
    return () => io.disconnect();
  }, [list.next, list.status, load]);

  const filterField = state.filter ? def.fields.find((f) => f.key === state.filter!.field) : undefined;

  return (
    <div className="stack">
      <div className="toolbar">
        <label htmlFor="record-search" className="sr-only">{t({ en: 'Search', zh: '搜索' })}</label>
        <input
          id="record-search"
          type="search"
          enterKeyHint="search"
          placeholder={t({ en: 'Search', zh: '搜索' })}
          value={searchText}
          onChange={(e) => setSearchText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') setState((s) => ({ ...s, search: searchText }));
          }}
        />
        <button type="button" className={`btn${state.filter ? ' btn-active' : ''}`} aria-expanded={panel === 'filter'} onClick={() => setPanel(panel === 'filter' ? null : 'filter')}>
          {t({ en: 'Filter', zh: '筛选' })}
        </button>
        <button type="button" className="btn" aria-expanded={panel === 'sort'} onClick={() => setPanel(panel === 'sort' ? null : 'sort')}>
          {t({ en: 'Sort', zh: '排序' })}
        </button>
        {(editable.length > 0 || canDelete) && (
          <button type="button" className={`btn${selecting ? ' btn-active' : ''}`} aria-pressed={selecting} onClick={() => { setSelecting(!selecting); setSelected(new Set()); }}>
            {t({ en: 'Select', zh: '选择' })}
          </button>
        )}
      </div>
      {canExport && <ExportButton formId={formId} def={def} state={state} scope={scope} />}
      {outcome && <BulkSummary outcome={outcome} onClose={() => setOutcome(null)} />}
      {selecting && (
        <BulkBar
          formId={formId}
          def={def}
          fields={editable}
          canDelete={canDelete}
          selected={list.items.filter((r) => selected.has(r.id))}
          loaded={list.items.length}
          onSelectAll={() => setSelected(new Set(list.items.map((r) => r.id)))}
          onClear={() => setSelected(new Set())}
          onDone={(o) => {
            setOutcome(o);
            setSelected(new Set());
            setSelecting(false);
            void load(null);
          }}
        />
      )}
      {panel === 'filter' && (
        <FilterPanel
          def={def}
          current={state.filter}
          onApply={(filter) => {
            setState((s) => ({ ...s, filter }));
            setPanel(null);
          }}
          onClose={() => setPanel(null)}
        />
      )}
      {panel === 'sort' && <SortPanel def={def} sort={state.sort} onChange={(sort) => setState((s) => ({ ...s, sort }))} />}
      {state.filter && filterField && (
        <div className="row chip-row">
          <span className="chip">
            {t(filterField.label)} {t(OP_LABELS[state.filter.op])} {state.filter.value}
          </span>
          <button type="button" className="btn btn-sm" onClick={() => setState((s) => ({ ...s, filter: null }))}>
            {t({ en: 'Clear filter', zh: '清除筛选' })}
          </button>
        </div>
      )}
      {list.total !== null && (
        <p className="muted small" role="status">
          {t({ en: '{n} records', zh: '共 {n} 条记录' }, { n: list.total })}
        </p>
      )}
      {list.items.length > 0 && (
        <ul className="list card records" aria-label={t({ en: 'Records', zh: '记录' })}>
          {list.items.map((r) => <RecordRow key={r.id} def={def} record={r} fields={fields} people={people} select={selecting ? { checked: selected.has(r.id), onToggle: () => toggle(r.id) } : undefined} />)}
        </ul>
      )}
      {list.status === 'idle' && list.items.length === 0 && (
        <p className="muted empty">
          {state.search || state.filter ? t({ en: 'No records match.', zh: '没有符合条件的记录。' }) : t({ en: 'No records yet.', zh: '暂无记录。' })}
        </p>
      )}
      {list.status === 'loading' && <Loading />}
      {list.status === 'error' && <ErrorBox error={list.error} onRetry={() => void load(list.items.length ? list.next : null)} />}
      <div ref={sentinel} aria-hidden="true" />
      {list.next && list.status === 'idle' && (
        <button type="button" className="btn btn-block" onClick={() => void load(list.next)}>
          {t({ en: 'Load more', zh: '加载更多' })}
        </button>
      )}
    </div>
  );
}
