import { useSyncExternalStore } from 'react';

/**
 * A very small router on the History API: the path is the state, links push it,
 * and components re-render through useSyncExternalStore.
 */

const CHANGE = 'homeward:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(CHANGE, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(CHANGE, onChange);
  };
}

function currentPath(): string {
  return window.location.pathname;
}

/** The current URL path, e.g. "/users". */
export function usePath(): string {
  return useSyncExternalStore(subscribe, currentPath);
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === window.location.pathname) return;
  if (options.replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  window.dispatchEvent(new Event(CHANGE));
  window.scrollTo(0, 0);
}

/** For <a href> links: keeps ctrl-click and middle-click opening a new tab. */
export function onLinkClick(path: string) {
  return (event: React.MouseEvent<HTMLElement>): void => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(path);
  };
}

/** The query string's parameters now, e.g. to restore a list's filters when coming back to it. */
export function currentQuery(): URLSearchParams {
  return new URLSearchParams(window.location.search);
}

/** Rewrites the query string in place (no history entry): filters then survive "Back" and reload. */
export function replaceQuery(params: URLSearchParams): void {
  const search = params.toString();
  const url = `${window.location.pathname}${search ? `?${search}` : ''}`;
  if (url !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(window.history.state, '', url);
}
