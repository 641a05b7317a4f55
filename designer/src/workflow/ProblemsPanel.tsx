// The list of problems beside the canvas; choosing one selects the node or edge it names.
import { useT } from '@trellis/app/lib/i18n';
import type { Problem } from './problems';

export function ProblemsPanel({ problems, onPick }: { problems: Problem[]; onPick(p: Problem): void }) {
  const t = useT();
  if (problems.length === 0) return <p className="alert alert-success">{t({ en: 'No problems found.', zh: '没有发现问题。' })}</p>;
  return (
    <ul className="list wf-problems" aria-label={t({ en: 'Problems', zh: '问题' })}>
      {problems.map((p) => (
        <li key={p.key}>
          <button type="button" className="list-item" onClick={() => onPick(p)} disabled={!p.node && !p.edge}>
            <span className={`tag ${p.source === 'server' ? 'tag-danger' : 'tag-warning'}`}>
              {p.source === 'server' ? t({ en: 'Server', zh: '服务器' }) : t({ en: 'Check', zh: '检查' })}
            </span>{' '}
            {p.node && <strong>{p.node}: </strong>}
            {p.edge && <strong>{p.edge}: </strong>}
            {p.message}
          </button>
        </li>
      ))}
    </ul>
  );
}
