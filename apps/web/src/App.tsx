import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, ApiError, session, setApiLanguage, setUnauthorizedHandler } from './api.js';
import { DICTS, I18nContext, initialLang, label, LANG_KEY, ROLE_NAMES, type Lang } from './i18n.js';
import { AdminPage } from './pages/Admin.js';
import { BulkPage } from './pages/Bulk.js';
import { CandidatePage } from './pages/Candidate.js';
import { ClassesPage } from './pages/Classes.js';
import { ImportPage, IMPORTER_ROLES } from './pages/Import.js';
import { InboxPage } from './pages/Inbox.js';
import { LoginPage } from './pages/Login.js';
import { canCreateCandidates, NewCandidatePage } from './pages/NewCandidate.js';
import { ReportsPage } from './pages/Reports.js';
import { TaskPage } from './pages/Task.js';
import { href, useRoute } from './router.js';
import { MeContext, type Me } from './session.js';

export function App() {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const [me, setMe] = useState<Me | null | undefined>(undefined); // undefined: still checking the stored session
  const route = useRoute();

  const setLang = useCallback((l: Lang) => {
    localStorage.setItem(LANG_KEY, l);
    setLangState(l);
  }, []);
  setApiLanguage(lang);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const dropSession = useCallback(() => {
    session.clear();
    setMe(null);
  }, []);
  useEffect(() => setUnauthorizedHandler(dropSession), [dropSession]);
  // Signing out ends the session on the server too (the token is refused from then on), then forgets it here.
  const signOut = useCallback(() => {
    const ended = session.token() ? api('POST', '/auth/logout').catch(() => undefined) : Promise.resolve();
    void ended.finally(dropSession);
  }, [dropSession]);

  // A stored session survives a reload: check it once.
  useEffect(() => {
    if (!session.token()) {
      setMe(null);
      return;
    }
    api<Me>('GET', '/auth/me')
      .then(setMe)
      .catch((e) => {
        if (e instanceof ApiError && e.status === 401) session.clear();
        setMe(null);
      });
  }, []);

  const i18n = useMemo(() => ({ lang, t: DICTS[lang], setLang }), [lang, setLang]);
  const t = i18n.t;

  let page;
  if (me === undefined) page = <p className="muted">{t.loading}</p>;
  else if (me === null) page = <LoginPage onSignedIn={setMe} />;
  else {
    const [section, id] = route;
    if (section === 'tasks' && id) page = <TaskPage taskId={id} />;
    else if (section === 'candidates' && id) page = <CandidatePage candidateId={id} />;
    else if (section === 'bulk') page = <BulkPage />;
    else if (section === 'admin') page = <AdminPage />;
    else if (section === 'reports') page = <ReportsPage />;
    else if (section === 'classes') page = <ClassesPage classId={id} />;
    else if (section === 'import') page = <ImportPage />;
    else if (section === 'new-candidate') page = <NewCandidatePage />;
    else page = <InboxPage />;
  }

  const isAdmin = me?.roles.some((r) => r.role === 'admin');
  return (
    <I18nContext.Provider value={i18n}>
      <MeContext.Provider value={me ?? null}>
        <a className="skip" href="#main">
          {lang === 'vi' ? 'Bỏ qua thanh điều hướng' : 'Skip to content'}
        </a>
        <header className="top">
          <a className="brand" href={href('inbox')}>
            <span className="star" aria-hidden="true">★</span> {t.appName}
          </a>
          {me && (
            <nav aria-label={lang === 'vi' ? 'Điều hướng chính' : 'Main navigation'}>
              <a href={href('inbox')} aria-current={route[0] === 'inbox' ? 'page' : undefined}>{t.inbox}</a>
              <a href={href('bulk')} aria-current={route[0] === 'bulk' ? 'page' : undefined}>{t.bulk}</a>
              {me.roles.some((r) => ['training_centre', 'grassroots_committee', 'superior_board', 'admin'].includes(r.role)) && (
                <a href={href('classes')} aria-current={route[0] === 'classes' ? 'page' : undefined}>{lang === 'vi' ? 'Lớp bồi dưỡng' : 'Classes'}</a>
              )}
              {canCreateCandidates(me) && (
                <a href={href('new-candidate')} aria-current={route[0] === 'new-candidate' ? 'page' : undefined}>{lang === 'vi' ? 'Quần chúng mới' : 'New candidate'}</a>
              )}
              {me.roles.some((r) => r.role === 'admin' || IMPORTER_ROLES.includes(r.role)) && (
                <a href={href('import')} aria-current={route[0] === 'import' ? 'page' : undefined}>{lang === 'vi' ? 'Nhập hồ sơ' : 'Import'}</a>
              )}
              <a href={href('reports')} aria-current={route[0] === 'reports' ? 'page' : undefined}>{t.reports}</a>
              {isAdmin && <a href={href('admin')} aria-current={route[0] === 'admin' ? 'page' : undefined}>{t.admin}</a>}
            </nav>
          )}
          <div className="who">
            <label className="lang">
              <span className="sr-only">{t.language}</span>
              <select value={lang} onChange={(e) => setLang(e.target.value as Lang)} aria-label={t.language}>
                <option value="vi">Tiếng Việt</option>
                <option value="en">English</option>
              </select>
            </label>
            {me && (
              <>
                <span className="user" title={me.roles.map((r) => label(ROLE_NAMES, r.role, lang)).join(', ')}>
                  {me.fullName}
                </span>
                <button type="button" className="link" onClick={signOut}>
                  {t.signOut}
                </button>
              </>
            )}
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          {page}
        </main>
      </MeContext.Provider>
    </I18nContext.Provider>
  );
}
