/** The frame every full-window page shares: a column filling the window, a header bar. */
import { tokens } from '@fluentui/react-components';
import type { GriffelStyle } from '@fluentui/react-components';

export const windowFrame = {
  root: {
    display: 'flex',
    flexDirection: 'column',
    height: '100vh',
    boxSizing: 'border-box',
    backgroundColor: tokens.colorNeutralBackground2,
  },
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalXL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
} satisfies Record<string, GriffelStyle>;
