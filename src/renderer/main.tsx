import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getApi } from './api.ts';
import { AppRoot } from './App.tsx';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

const api = getApi();
if (!api) {
  root.textContent = 'This page runs outside CRM Sync (no app bridge).';
} else {
  createRoot(root).render(
    <StrictMode>
      <AppRoot api={api} />
    </StrictMode>,
  );
}
