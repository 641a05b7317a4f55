// The top of a screen: a back button (a real link, so it works without history), the title and actions.
import type { ReactNode } from 'react';
import { useT } from '../lib/i18n';
import { href, linkHandler } from '../lib/router';
import { Icon } from './Icon';

export function PageHeader({ title, back, actions }: { title: ReactNode; back?: string; actions?: ReactNode }) {
  const t = useT();
  return (
    <div className="page-header">
      {back !== undefined && (
        <a className="btn btn-link back" href={href(back)} onClick={linkHandler(back)} aria-label={t({ en: 'Back', zh: '返回' })}>
          <Icon name="back" size={26} />
        </a>
      )}
      <h1>{title}</h1>
      {actions && <div className="page-actions">{actions}</div>}
    </div>
  );
}
