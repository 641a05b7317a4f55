import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './lib/base.css';
import { restoreSession } from './lib/session';
import { App } from './App';

void restoreSession();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
