/** What a sync would do (a dry run), grouped by agenda, each item with its reason. */
import {
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { PlannedItem } from '../../shared/app-api.ts';
import { useFormat } from '../i18n/format.ts';
import { actionLabel, agendaLabel } from './labels.ts';
import { reasonLabel } from './reason.ts';

const ORDER = ['events', 'tasks', 'contacts'];

export function PreviewList({ items }: { items: readonly PlannedItem[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (items.length === 0) {
    return <Text as="p">{t('preview.nothing')}</Text>;
  }
  const groups = new Map<string, PlannedItem[]>();
  for (const item of items) groups.set(item.agenda, [...(groups.get(item.agenda) ?? []), item]);
  // Known agendas in their usual order, anything else after them.
  const rank = (agenda: string): number => {
    const i = ORDER.indexOf(agenda);
    return i < 0 ? ORDER.length : i;
  };
  const agendas = [...groups.keys()].sort((a, b) => rank(a) - rank(b));
  const count = (agenda: string, n: number) =>
    agenda === 'events'
      ? t('count.events', { count: n })
      : agenda === 'tasks'
        ? t('count.tasks', { count: n })
        : agenda === 'contacts'
          ? t('count.contacts', { count: n })
          : t('count.items', { count: n });
  return (
    <div className="preview">
      {agendas.map((agenda) => {
        const list = groups.get(agenda) ?? [];
        const headingId = `preview-${agenda}`;
        return (
          <section key={agenda} aria-labelledby={headingId} className="preview-group">
            <h3 id={headingId} className="section-title">
              {agendaLabel(t, agenda)} — {count(agenda, list.length)}
            </h3>
            <Table size="small" aria-labelledby={headingId}>
              <TableHeader>
                <TableRow>
                  <TableHeaderCell className="col-action">{t('preview.action')}</TableHeaderCell>
                  <TableHeaderCell>{t('preview.item')}</TableHeaderCell>
                  <TableHeaderCell>{t('preview.reason')}</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {list.map((item, i) => (
                  <TableRow key={i}>
                    <TableCell>{actionLabel(t, item.action)}</TableCell>
                    <TableCell>{item.label}</TableCell>
                    <TableCell>{reasonLabel(t, item, format)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </section>
        );
      })}
    </div>
  );
}
