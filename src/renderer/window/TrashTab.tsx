/** CRM items deleted by sync (deleted on the server), each restorable. */
import {
  Button,
  MessageBar,
  MessageBarBody,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import { ArrowUndoRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TrashItem } from '../../shared/app-api.ts';
import { errorText, useApi } from '../api.ts';
import { entityLabel } from '../components/labels.ts';
import { problemsText } from '../components/message.ts';
import { useFormat } from '../i18n/format.ts';
import type { Loadable } from '../settings/lookups.ts';

export function TrashTab({ refreshKey }: { refreshKey: string }) {
  const api = useApi();
  const { t } = useTranslation();
  const format = useFormat();
  const [items, setItems] = useState<Loadable<TrashItem[]>>({ state: 'loading' });
  const [restoring, setRestoring] = useState<number | undefined>();
  const [message, setMessage] = useState<{ intent: 'success' | 'error'; text: string }>();

  const load = useCallback(async () => {
    try {
      setItems({ state: 'ready', value: await api.listTrash() });
    } catch (err) {
      setItems({ state: 'failed', message: errorText(err) });
    }
  }, [api]);

  useEffect(() => {
    void load();
  }, [load, refreshKey]);

  const restore = async (item: TrashItem) => {
    setRestoring(item.id);
    setMessage(undefined);
    try {
      const result = await api.restoreTrash(item.id);
      setMessage(
        result.ok
          ? { intent: 'success', text: t('trash.restored', { label: item.label }) }
          : { intent: 'error', text: problemsText(t, result.problems) },
      );
      await load();
    } catch (err) {
      setMessage({ intent: 'error', text: errorText(err) });
    } finally {
      setRestoring(undefined);
    }
  };

  return (
    <div className="tab-panel">
      <Text as="p" className="muted">
        {t('trash.intro')}
      </Text>
      {message && (
        <MessageBar intent={message.intent} role={message.intent === 'error' ? 'alert' : 'status'}>
          <MessageBarBody>{message.text}</MessageBarBody>
        </MessageBar>
      )}
      {items.state === 'loading' && <Spinner size="small" label={t('common.loading')} />}
      {items.state === 'failed' && (
        <Text role="alert" className="error-text">
          {items.message}
        </Text>
      )}
      {items.state === 'ready' && items.value.length === 0 && (
        <Text as="p">{t('trash.empty')}</Text>
      )}
      {items.state === 'ready' && items.value.length > 0 && (
        <Table size="small" aria-label={t('trash.title')}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell className="col-time">{t('trash.deletedAt')}</TableHeaderCell>
              <TableHeaderCell className="col-agenda">{t('trash.kind')}</TableHeaderCell>
              <TableHeaderCell>{t('trash.item')}</TableHeaderCell>
              <TableHeaderCell>{t('trash.reason')}</TableHeaderCell>
              <TableHeaderCell className="col-restore" />
            </TableRow>
          </TableHeader>
          <TableBody>
            {items.value.map((item) => (
              <TableRow key={item.id}>
                <TableCell>{format.dateTime(item.deletedAt)}</TableCell>
                <TableCell>{entityLabel(t, item.entity)}</TableCell>
                <TableCell>{item.label}</TableCell>
                <TableCell>{item.reason}</TableCell>
                <TableCell>
                  {item.restoredAt ? (
                    <Text size={200} className="muted">
                      {t('trash.restoredAt', { when: format.dateTime(item.restoredAt) })}
                    </Text>
                  ) : (
                    <Button
                      size="small"
                      icon={<ArrowUndoRegular />}
                      disabled={restoring !== undefined}
                      aria-label={t('trash.restoreItem', { label: item.label })}
                      onClick={() => void restore(item)}
                    >
                      {t('trash.restore')}
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
