/** The last runs: when, why, how it ended, its summary lines and every failed item. */
import { Badge, Button, Text, type BadgeProps } from '@fluentui/react-components';
import { HistoryRegular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import type { RunBrief } from '../../shared/app-api.ts';
import { runStatusLabel, triggerLabel } from '../components/labels.ts';
import { messageText } from '../components/message.ts';
import { agendaSummary } from '../components/reason.ts';
import { useFormat } from '../i18n/format.ts';

const COLORS: Record<RunBrief['status'], BadgeProps['color']> = {
  running: 'brand',
  ok: 'success',
  partial: 'warning',
  failed: 'danger',
  refused: 'danger',
  interrupted: 'warning',
};

export function RunsTab(props: {
  runs: readonly RunBrief[];
  onShowItems: (runId: number) => void;
}) {
  const { runs, onShowItems } = props;
  const { t } = useTranslation();
  const format = useFormat();
  if (runs.length === 0) return <Text as="p">{t('runs.none')}</Text>;
  return (
    <ol className="run-list" aria-label={t('runs.title')}>
      {runs.map((run) => (
        <li key={run.id} className="run">
          <div className="run-head">
            <Text weight="semibold">{format.dateTime(run.startedAt)}</Text>
            <Badge appearance="tint" color={COLORS[run.status] ?? 'informative'}>
              {runStatusLabel(t, run.status)}
            </Badge>
            <Text size={200} className="muted">
              {triggerLabel(t, run.trigger)}
              {run.finishedAt && ` · ${format.duration(run.startedAt, run.finishedAt)}`}
            </Text>
            <Button
              size="small"
              appearance="subtle"
              icon={<HistoryRegular />}
              className="run-items"
              onClick={() => onShowItems(run.id)}
            >
              {t('runs.showItems')}
            </Button>
          </div>
          {(run.agendas.length > 0 || run.lines.length > 0) && (
            <ul className="run-lines">
              {(run.agendas.length > 0
                ? run.agendas.map((a) => agendaSummary(t, a))
                : run.lines.map((line, i) =>
                    i === 0 ? messageText(t, line, run.errorCode, run.errorParams) : line,
                  )
              ).map((line, i) => (
                <li key={i}>
                  <Text font="monospace" size={200}>
                    {line}
                  </Text>
                </li>
              ))}
            </ul>
          )}
          {run.failedItems.length > 0 && (
            <div className="run-failed">
              <Text weight="semibold" className="error-text">
                {t('count.failed', { count: run.failedItems.length })}
              </Text>
              <ul>
                {run.failedItems.map((item, i) => (
                  <li key={i}>
                    <Text weight="semibold">{item.label}</Text>:{' '}
                    {messageText(t, item.cause, item.code, item.params)}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </li>
      ))}
    </ol>
  );
}
