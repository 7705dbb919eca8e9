/** Per agenda and folder: phase, a progress bar and the counts, while a run is going. */
import { Field, ProgressBar, Text } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { AgendaProgress } from '../../shared/app-api.ts';
import { agendaLabel, phaseLabel } from '../components/labels.ts';
import { useFormat } from '../i18n/format.ts';

export function ProgressList({ progress }: { progress: readonly AgendaProgress[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (progress.length === 0) return null;
  const noun = (agenda: string, count: number) =>
    agenda === 'events'
      ? t('count.events', { count })
      : agenda === 'tasks'
        ? t('count.tasks', { count })
        : agenda === 'contacts'
          ? t('count.contacts', { count })
          : t('count.items', { count });
  return (
    <ul className="progress-list" aria-label={t('main.progress')}>
      {progress.map((p) => {
        const label = `${agendaLabel(t, p.agenda)} · ${p.folder}`;
        const known = p.total > 0;
        const value = p.phase === 'done' ? 1 : known ? Math.min(1, p.done / p.total) : undefined;
        return (
          <li key={`${p.agenda}|${p.folder}`} className="progress-row">
            <Field
              label={label}
              hint={
                <span className="progress-detail">
                  <span>{phaseLabel(t, p.phase)}</span>
                  {known && (
                    <Text className="progress-count">
                      {t('progress.count', {
                        done: format.number(p.done),
                        total: noun(p.agenda, p.total),
                      })}
                    </Text>
                  )}
                </span>
              }
            >
              <ProgressBar
                value={value}
                max={1}
                thickness="large"
                aria-valuetext={
                  known ? t('progress.valueText', { done: p.done, total: p.total }) : undefined
                }
              />
            </Field>
          </li>
        );
      })}
    </ul>
  );
}
