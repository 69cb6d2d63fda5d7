import { useI18n } from '../i18n.js';

export function ReportsPage() {
  const { t } = useI18n();
  return (
    <section>
      <h1>{t.reports}</h1>
    </section>
  );
}
