import { useCallback, useEffect, useState } from 'preact/hooks';
import { renderMarkdown } from '../../../gateway/src/pages/markdown';
import { api, messageOf, query, type Page, background } from '../api';
import { ago } from '../format';
import { linkTo, navigate } from '../router';
import { handoffReason, TraceView, type Trace } from '../trace';
import { ArticleHistory } from './article-history';
import { KnowledgeImport } from './knowledge-import';

interface ArticleSummary {
  id: string;
  title: string;
  slug: string;
  published: boolean;
  version: number;
  updatedAt: string;
}

interface Article extends ArticleSummary {
  body: string;
  tags: string[];
}

interface TryResult {
  decision: 'answer' | 'handoff' | 'silent';
  outcome: { kind: string; reason: string } | null;
  answer: string | null;
  threshold: number;
  trace: Trace | null;
}

export function KnowledgePage({ path, canEdit }: { path: string; canEdit: boolean }) {
  const selected = path.split('/')[2];
  const [q, setQ] = useState('');
  const [list, setList] = useState<Page<ArticleSummary> | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setList(await api<Page<ArticleSummary>>(`/knowledge/articles${query({ q, limit: 100 })}`));
    } catch (err) {
      setError((err as Error).message);
    }
  }, [q]);
  useEffect(() => {
    background(load());
  }, [load]);

  return (
    <div class={`knowledge ${selected ? 'has-open' : ''}`}>
      <section class="article-list" aria-labelledby="kb-title">
        <h1 id="kb-title">Knowledge</h1>
        <div class="filters" role="search">
          <label class="grow">
            Search titles
            <input type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} />
          </label>
          {canEdit && <a class="button" {...linkTo('/knowledge/new')}>New article</a>}
        </div>
        {canEdit && <KnowledgeImport onDone={() => background(load())} />}
        {error && <p class="error" role="alert">{error}</p>}
        <ul class="articles" aria-label="Articles">
          {list?.items.map((a) => (
            <li key={a.id}>
              <a {...linkTo(`/knowledge/${a.id}`)} class={`row ${a.id === selected ? 'open' : ''}`} aria-current={a.id === selected ? 'true' : undefined} data-article={a.slug}>
                <strong>{a.title}</strong>
                <span class="muted">{a.published ? 'Published' : 'Draft'} · version {a.version} · {ago(a.updatedAt)}</span>
              </a>
            </li>
          ))}
        </ul>
      </section>
      <section class="article-open" aria-label="Article">
        {selected ? <ArticleEditor key={selected} id={selected === 'new' ? null : selected} canEdit={canEdit} onSaved={() => background(load())} /> : <TryIt />}
      </section>
    </div>
  );
}

function ArticleEditor({ id, canEdit, onSaved }: { id: string | null; canEdit: boolean; onSaved: () => void }) {
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [published, setPublished] = useState(true);
  const [article, setArticle] = useState<Article | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<'write' | 'preview'>('write');

  const showArticle = (a: Article) => {
    setArticle(a);
    setTitle(a.title);
    setBody(a.body);
    setPublished(a.published);
  };

  useEffect(() => {
    if (!id) return;
    api<Article>(`/knowledge/articles/${id}`).then(showArticle, (err: Error) => setError(err.message));
  }, [id]);

  const restored = (a: Article) => {
    showArticle(a);
    setStatus(`Restored as version ${a.version}. The agent answers from it now.`);
    onSaved();
  };

  const save = async (event: Event) => {
    event.preventDefault();
    setError(null);
    setStatus('Saving…');
    try {
      const saved = id
        ? await api<Article>(`/knowledge/articles/${id}`, { method: 'PATCH', body: { title, body, published } })
        : await api<Article>('/knowledge/articles', { method: 'POST', body: { title, body, published } });
      setArticle(saved);
      setStatus(`Saved: version ${saved.version}. The agent answers from it now.`);
      onSaved();
      if (!id) navigate(`/knowledge/${saved.id}`, true);
    } catch (err) {
      setStatus(null);
      setError(messageOf(err));
    }
  };

  return (
    <div class="editor-grid">
      <form class="editor" onSubmit={(e) => background(save(e))} aria-label="Edit article">
        <a class="back" {...linkTo('/knowledge')}>← Articles</a>
        <label for="article-title">Title</label>
        <input id="article-title" value={title} required maxLength={200} readOnly={!canEdit} onInput={(e) => setTitle(e.currentTarget.value)} />
        <div class="tabs" role="tablist" aria-label="Body">
          <button type="button" role="tab" aria-selected={tab === 'write'} class={tab === 'write' ? '' : 'secondary'} onClick={() => setTab('write')}>Write</button>
          <button type="button" role="tab" aria-selected={tab === 'preview'} class={tab === 'preview' ? '' : 'secondary'} onClick={() => setTab('preview')}>Preview</button>
        </div>
        {tab === 'write' ? (
          <>
            <label for="article-body">Body (Markdown; each heading starts a passage the agent can quote)</label>
            <textarea id="article-body" rows={18} value={body} required readOnly={!canEdit} onInput={(e) => setBody(e.currentTarget.value)} />
          </>
        ) : (
          // renderMarkdown escapes everything first and keeps only safe links: the same renderer as the help center.
          <div class="preview" role="tabpanel" aria-label="Preview" dangerouslySetInnerHTML={{ __html: renderMarkdown(body) }} />
        )}
        <label class="inline"><input type="checkbox" checked={published} disabled={!canEdit} onChange={(e) => setPublished(e.currentTarget.checked)} /> Published (the agent answers from published articles)</label>
        {error && <p class="error" role="alert">{error}</p>}
        {status && <p class="muted" role="status" data-save-status>{status}</p>}
        {canEdit ? <button type="submit">{id ? 'Save' : 'Create article'}</button> : <p class="muted">Only admins and owners edit articles.</p>}
        {article && <p class="muted">Version {article.version}, /kb/{article.slug}</p>}
        {article && <ArticleHistory<Article> id={article.id} version={article.version} canEdit={canEdit} onRestored={restored} />}
      </form>
      <TryIt />
    </div>
  );
}

/** "Try it": the question goes through the agent's real turn, nothing stored or sent. */
function TryIt() {
  const [question, setQuestion] = useState('');
  const [result, setResult] = useState<TryResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const ask = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setResult(await api<TryResult>('/knowledge/try', { method: 'POST', body: { question } }));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <aside class="try" aria-labelledby="try-title">
      <h2 id="try-title">Try it</h2>
      <p class="muted">Ask as a customer would: the agent answers from the saved articles.</p>
      <form onSubmit={(e) => background(ask(e))}>
        <label for="try-question">Question</label>
        <input id="try-question" value={question} required maxLength={4000} onInput={(e) => setQuestion(e.currentTarget.value)} />
        <button type="submit" disabled={busy}>{busy ? 'Asking…' : 'Ask the agent'}</button>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      {result && (
        <div class="try-result" data-try-result={result.decision} aria-live="polite">
          {result.decision === 'answer' && <p class="answer" data-try-answer>{result.answer}</p>}
          {result.decision === 'handoff' && (
            <p>
              Would hand off: <strong>{handoffReason(result.outcome?.reason)}</strong>.{result.answer && <> The customer would read: “{result.answer}”</>}
            </p>
          )}
          {result.decision === 'silent' && <p>The agent would stay silent.</p>}
          {result.trace && <TraceView trace={result.trace} />}
        </div>
      )}
    </aside>
  );
}
