import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@trellis/app/lib/base.css';
import { restoreSession } from '@trellis/app/lib/session';
import { App } from './App';

void restoreSession();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
