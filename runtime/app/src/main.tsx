import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './lib/base.css';
import { restoreSession } from './lib/session';
import { App, prefetchFirstScreen } from './App';
import { currentPath } from './lib/router';

void restoreSession();
prefetchFirstScreen(currentPath());
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
