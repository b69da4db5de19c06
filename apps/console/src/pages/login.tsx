import { useState } from 'preact/hooks';
import { ApiError, login, background } from '../api';

export function LoginPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(email, password);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'Wrong email or password.' : (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="login" id="main">
      <form onSubmit={(e) => background(submit(e))} aria-describedby={error ? 'login-error' : undefined}>
        <h1>Support console</h1>
        <p class="muted">Sign in with your team account.</p>
        <label for="login-email">Email</label>
        <input id="login-email" type="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        <label for="login-password">Password</label>
        <input
          id="login-password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        {error && <p id="login-error" class="error" role="alert">{error}</p>}
        <button type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  );
}
