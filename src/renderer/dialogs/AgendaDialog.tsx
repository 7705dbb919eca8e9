/**
 * The frame of every agenda settings dialog: modal, a form (Enter = OK), Escape or Cancel
 * closes without changes, OK checks the rules and keeps the dialog open with the problems
 * next to their fields, focusing the first one.
 */
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarBody,
} from '@fluentui/react-components';
import { useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { focusFirstInvalid } from '../components/problems.ts';

export interface AgendaDialogFrameProps {
  title: string;
  icon?: ReactNode;
  /** Returns false when the draft has problems (the dialog stays open). */
  onSubmit: () => boolean;
  onCancel: () => void;
  /** A problem of the whole agenda that has no field of its own. */
  general?: string | undefined;
  children: ReactNode;
}

export function AgendaDialogFrame(props: AgendaDialogFrameProps) {
  const { title, icon, onSubmit, onCancel, general, children } = props;
  const { t } = useTranslation();
  const surface = useRef<HTMLDivElement>(null);
  return (
    <Dialog open modalType="modal" onOpenChange={(_, data) => !data.open && onCancel()}>
      <DialogSurface ref={surface} className="agenda-dialog">
        <form
          noValidate
          onSubmit={(ev) => {
            ev.preventDefault();
            ev.stopPropagation();
            if (!onSubmit()) setTimeout(() => focusFirstInvalid(surface.current), 0);
          }}
        >
          <DialogBody>
            <DialogTitle>
              <span className="dialog-title">
                {icon}
                {title}
              </span>
            </DialogTitle>
            <DialogContent className="dialog-content form-grid">
              {general && (
                <MessageBar intent="error">
                  <MessageBarBody>{general}</MessageBarBody>
                </MessageBar>
              )}
              {children}
            </DialogContent>
            <DialogActions>
              <Button type="submit" appearance="primary">
                {t('common.ok')}
              </Button>
              <Button onClick={onCancel}>{t('common.cancel')}</Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
