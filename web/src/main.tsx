import '@mantine/core/styles.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { readStyleNonce } from './csp';
import { initI18n } from './i18n';

initI18n(); // sets <html lang dir> before the first render
const nonce = readStyleNonce();
const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <App styleNonce={nonce} initialDirection={document.documentElement.dir === 'rtl' ? 'rtl' : 'ltr'} />
  </StrictMode>,
);
