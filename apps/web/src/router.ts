/** Hash routes (#/inbox, #/tasks/<id>, …): a reload keeps the page, and the API serves one index.html. */
import { useEffect, useState } from 'react';

export function useRoute(): string[] {
  const read = () => (window.location.hash.replace(/^#\/?/, '') || 'inbox').split('?')[0].split('/').map(decodeURIComponent);
  const [parts, setParts] = useState(read);
  useEffect(() => {
    const on = () => setParts(read());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return parts;
}

export function go(path: string): void {
  window.location.hash = '#/' + path.replace(/^\//, '');
}

export function href(path: string): string {
  return '#/' + path.replace(/^\//, '');
}
