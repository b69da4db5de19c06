import { useEffect, useState } from 'preact/hooks';
import { api, background } from '../api';
import { ago } from '../format';

interface VersionSummary {
  version: number;
  title: string;
  current: boolean;
  savedAt: string;
}

interface VersionDetail extends VersionSummary {
  body: string;
  currentVersion: number;
  changes: { value: string; added: boolean; removed: boolean }[];
}

/** An article's history (`GET /knowledge/articles/:id/versions`): each earlier version diffed against the current body, restorable. */
export function ArticleHistory<A extends { version: number }>({ id, version, canEdit, onRestored }: { id: string; version: number; canEdit: boolean; onRestored: (article: A) => void }) {
  const [versions, setVersions] = useState<VersionSummary[] | null>(null);
  const [open, setOpen] = useState<VersionDetail | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setOpen(null);
    api<VersionSummary[]>(`/knowledge/articles/${id}/versions`).then(setVersions, (err: Error) => setError(err.message));
  }, [id, version]);

  const show = async (n: number) => {
    setError(null);
    try {
      setOpen(await api<VersionDetail>(`/knowledge/articles/${id}/versions/${n}`));
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const restore = async (n: number) => {
    setError(null);
    try {
      onRestored(await api<A>(`/knowledge/articles/${id}/versions/${n}/restore`, { method: 'POST' }));
    } catch (err) {
      setError((err as Error).message);
    }
  };

  if (!versions || versions.length < 2) return error ? <p class="error" role="alert">{error}</p> : null;
  return (
    <section class="history" aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <ol class="versions" aria-label="Versions">
        {versions.map((v) => (
          <li key={v.version} data-version={v.version}>
            <span>Version {v.version}{v.current ? ' (current)' : ''} · {v.title} · {ago(v.savedAt)}</span>
            {!v.current && (
              <button type="button" class="secondary" aria-expanded={open?.version === v.version} onClick={() => background(show(v.version))}>
                Compare with current
              </button>
            )}
          </li>
        ))}
      </ol>
      {error && <p class="error" role="alert">{error}</p>}
      {open && (
        <div class="diff-view" aria-label={`Changes from version ${open.version} to version ${open.currentVersion}`}>
          <p class="muted">From version {open.version} to the current version {open.currentVersion}: removed lines are struck through, added lines underlined.</p>
          <pre class="diff" data-diff>
            {open.changes.map((part, i) =>
              part.added ? <ins key={i}>{part.value}</ins> : part.removed ? <del key={i}>{part.value}</del> : <span key={i}>{part.value}</span>,
            )}
          </pre>
          {canEdit && (
            <button type="button" onClick={() => background(restore(open.version))}>
              Restore version {open.version}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
