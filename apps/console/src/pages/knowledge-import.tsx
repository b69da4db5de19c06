import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, authorizedFetch, background, messageOf } from '../api';
import './admin.css';

interface ImportJob {
  id: string;
  status: 'running' | 'done' | 'failed';
  total: number;
  processed: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  errors: { file: string; message: string }[];
}

const POLL_MS = 400;

/**
 * Bulk import (`POST /knowledge/imports`, multipart `files`): .md, .html, .csv and .json files; the
 * job is polled (`GET /knowledge/imports/:id`) for its progress, and each file or article that
 * failed is named with why.
 */
export function KnowledgeImport({ onDone }: { onDone: () => void }) {
  const [job, setJob] = useState<ImportJob | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => { if (timer.current) clearTimeout(timer.current); }, []);

  const poll = (id: string) => {
    timer.current = setTimeout(() => {
      api<ImportJob>(`/knowledge/imports/${id}`).then(
        (next) => {
          setJob(next);
          if (next.status === 'running') poll(id);
          else onDone();
        },
        (err: Error) => setError(err.message),
      );
    }, POLL_MS);
  };

  const start = async (event: Event) => {
    event.preventDefault();
    const files = input.current?.files;
    if (!files?.length) return setError('files: choose at least one file');
    setBusy(true);
    setError(null);
    setJob(null);
    try {
      const form = new FormData();
      for (const file of Array.from(files)) form.append('files', file, file.name);
      const response = await authorizedFetch('/api/v1/knowledge/imports', { method: 'POST', body: form });
      const body = (await response.json()) as ImportJob & { error?: { message: string; fields?: { path: string; message: string }[] } };
      if (!response.ok) throw new ApiError(response.status, body.error?.message ?? response.statusText, body.error?.fields ?? []);
      setJob(body);
      if (body.status === 'running') poll(body.id);
      else onDone();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <details class="import" data-import>
      <summary>Import articles from files</summary>
      <form onSubmit={(e) => background(start(e))}>
        <label for="import-files">Files (.md, .html, .csv with title and body columns, .json)</label>
        <input id="import-files" ref={input} type="file" multiple accept=".md,.markdown,.html,.htm,.csv,.json" />
        <button type="submit" disabled={busy}>Import</button>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      {job && (
        <div data-import-status={job.status}>
          <label for="import-progress">
            {job.status === 'running' ? 'Importing' : job.status === 'done' ? 'Imported' : 'Import failed'}: {job.processed} of {job.total} articles
          </label>
          <progress id="import-progress" max={Math.max(job.total, 1)} value={job.status === 'running' ? job.processed : Math.max(job.total, 1)} />
          <p role="status" data-import-counts>
            {job.created} new, {job.updated} updated, {job.unchanged} unchanged, {job.failed} failed
          </p>
          {job.errors.length > 0 && (
            <ul class="plain" aria-label="Import errors">
              {job.errors.map((e, i) => (
                <li key={i} class="error" data-import-error={e.file}>
                  <strong>{e.file || 'Import'}</strong>: {e.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </details>
  );
}
