import { useState, type FormEvent } from 'react';
import { api, session } from '../api.js';
import { ErrorBox, Field } from '../components/common.js';
import { useI18n } from '../i18n.js';
import type { Me } from '../session.js';

export function LoginPage({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const r = await api<{ token?: string; accessToken?: string }>('POST', '/auth/login', { username, password });
      session.set((r.accessToken ?? r.token)!);
      onSignedIn(await api<Me>('GET', '/auth/me'));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card login" onSubmit={submit} aria-labelledby="login-title">
      <h1 id="login-title">{t.signIn}</h1>
      <ErrorBox error={error} />
      <Field label={t.username} id="username">
        <input id="username" name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} />
      </Field>
      <Field label={t.password} id="password">
        <input id="password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      </Field>
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t.signingIn : t.signIn}
      </button>
    </form>
  );
}
