const PLACEHOLDER = '__CSP_NONCE__';

/**
 * The per-request nonce the server wrote into <meta name="csp-nonce">. Mantine puts it on the
 * <style> tags it injects, which style-src 'self' 'nonce-…' would otherwise refuse.
 * Undefined when the page was not served by Homeward's server (e.g. the Vite dev server).
 */
export function readStyleNonce(): string | undefined {
  const content = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content.trim();
  return content && content !== PLACEHOLDER ? content : undefined;
}
