/**
 * The history (journal): what each run did to each item and why, newest first, with a
 * text filter (item or reason), a "conflicts only" switch (items that changed on both sides,
 * with the policy that decided in the reason) and an optional filter to one run.
 */
import {
  Badge,
  Button,
  Checkbox,
  SearchBox,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  type BadgeProps,
} from '@fluentui/react-components';
import { DismissRegular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JournalItem } from '../../shared/app-api.ts';
import { errorText, useApi } from '../api.ts';
import { actionLabel, agendaLabel, outcomeLabel } from '../components/labels.ts';
import { journalErrorText } from '../components/message.ts';
import { reasonLabel } from '../components/reason.ts';
import { useFormat } from '../i18n/format.ts';
import type { Loadable } from '../settings/lookups.ts';

const LIMIT = 200;
/** Wait this long after the last keystroke before asking the engine. */
export const FILTER_DELAY_MS = 250;

const OUTCOME_COLORS: Record<JournalItem['outcome'], BadgeProps['color']> = {
  done: 'success',
  failed: 'danger',
  planned: 'informative',
  skipped: 'subtle',
};

export interface HistoryTabProps {
  runId: number | undefined;
  onClearRun: () => void;
  /** Changes when a run ends, to reload. */
  refreshKey: string;
}

export function HistoryTab({ runId, onClearRun, refreshKey }: HistoryTabProps) {
  const api = useApi();
  const { t } = useTranslation();
  const format = useFormat();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [conflictsOnly, setConflictsOnly] = useState(false);
  const [items, setItems] = useState<Loadable<JournalItem[]>>({ state: 'loading' });

  useEffect(() => {
    const timer = setTimeout(() => setQuery(text.trim()), FILTER_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);

  useEffect(() => {
    let active = true;
    setItems((prior) => (prior.state === 'ready' ? prior : { state: 'loading' }));
    api
      .journal({
        limit: LIMIT,
        ...(query !== '' ? { text: query } : {}),
        ...(runId !== undefined ? { runId } : {}),
        ...(conflictsOnly ? { conflictsOnly: true } : {}),
      })
      .then(
        (value) => active && setItems({ state: 'ready', value }),
        (err: unknown) => active && setItems({ state: 'failed', message: errorText(err) }),
      );
    return () => {
      active = false;
    };
  }, [api, query, runId, conflictsOnly, refreshKey]);

  return (
    <div className="tab-panel">
      <div className="filter-row">
        <SearchBox
          aria-label={t('history.filter')}
          placeholder={t('history.filterPlaceholder')}
          value={text}
          onChange={(_, data) => setText(data.value)}
          className="filter-box"
        />
        <Checkbox
          label={t('history.conflictsOnly')}
          checked={conflictsOnly}
          onChange={(_, data) => setConflictsOnly(data.checked === true)}
        />
        {runId !== undefined && (
          <Button
            size="small"
            icon={<DismissRegular />}
            iconPosition="after"
            onClick={onClearRun}
            aria-label={t('history.clearRun', { id: runId })}
          >
            {t('history.runFilter', { id: runId })}
          </Button>
        )}
        {items.state === 'ready' && (
          <Text size={200} className="muted" aria-live="polite">
            {t('count.items', { count: items.value.length })}
          </Text>
        )}
      </div>
      {items.state === 'loading' && <Spinner size="small" label={t('common.loading')} />}
      {items.state === 'failed' && (
        <Text role="alert" className="error-text">
          {items.message}
        </Text>
      )}
      {items.state === 'ready' && items.value.length === 0 && (
        <Text as="p">
          {query || runId !== undefined || conflictsOnly ? t('history.noMatch') : t('history.none')}
        </Text>
      )}
      {items.state === 'ready' && items.value.length > 0 && (
        <Table size="small" aria-label={t('history.title')} className="history-table">
          <TableHeader>
            <TableRow>
              <TableHeaderCell className="col-time">{t('history.when')}</TableHeaderCell>
              <TableHeaderCell className="col-agenda">{t('history.agenda')}</TableHeaderCell>
              <TableHeaderCell className="col-action">{t('history.action')}</TableHeaderCell>
              <TableHeaderCell>{t('history.item')}</TableHeaderCell>
              <TableHeaderCell>{t('history.reason')}</TableHeaderCell>
              <TableHeaderCell className="col-outcome">{t('history.outcome')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {items.value.map((item) => (
              <TableRow key={item.id}>
                <TableCell>{format.dateTime(item.at)}</TableCell>
                <TableCell>{agendaLabel(t, item.agenda)}</TableCell>
                <TableCell>{actionLabel(t, item.action)}</TableCell>
                <TableCell>{item.label}</TableCell>
                <TableCell>
                  {item.conflict && (
                    <Badge appearance="outline" color="warning" className="conflict-badge">
                      {t('history.conflict')}
                    </Badge>
                  )}{' '}
                  {reasonLabel(t, item, format)}
                  {item.error && <div className="error-text">{journalErrorText(t, item)}</div>}
                </TableCell>
                <TableCell>
                  <Badge appearance="tint" color={OUTCOME_COLORS[item.outcome] ?? 'informative'}>
                    {outcomeLabel(t, item.outcome)}
                  </Badge>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
