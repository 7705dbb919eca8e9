// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test } from 'vitest';
import { defaultSettings } from '../../src/shared/settings/schema.ts';
import { ContactsDialog } from '../../src/renderer/dialogs/ContactsDialog.tsx';
import { EventsDialog } from '../../src/renderer/dialogs/EventsDialog.tsx';
import { MailDialog } from '../../src/renderer/dialogs/MailDialog.tsx';
import { TasksDialog } from '../../src/renderer/dialogs/TasksDialog.tsx';
import { GeneralStep } from '../../src/renderer/wizard/GeneralStep.tsx';
import type { FoldersState, LookupsState } from '../../src/renderer/settings/lookups.ts';
import type { Settings } from '../../src/shared/app-api.ts';
import { FOLDERS, LOOKUPS } from './fake-api.ts';
import { descriptionOf, renderUi } from './render.tsx';

afterEach(cleanup);

const lookups: LookupsState = { state: 'ready', value: LOOKUPS };
const folders: FoldersState = { state: 'ready', value: FOLDERS };

function spy<T>() {
  const calls: T[] = [];
  const fn = (value: T) => {
    calls.push(value);
  };
  return Object.assign(fn, { calls });
}

type Agendas = Settings['agendas'];

function renderEvents(value: Agendas['events'] = defaultSettings().agendas.events) {
  const onSave = spy<Agendas['events']>();
  let cancelled = 0;
  renderUi(
    <EventsDialog
      value={value}
      onSave={onSave}
      onCancel={() => cancelled++}
      lookups={lookups}
      folders={folders}
    />,
  );
  return { onSave, cancelled: () => cancelled, dialog: screen.getByRole('dialog') };
}

async function pick(user: ReturnType<typeof userEvent.setup>, combo: HTMLElement, name: string) {
  await user.click(combo);
  await user.click(screen.getByRole('option', { name }));
}

describe('events dialog', () => {
  test('changes direction, days, folders and category pairs, and OK saves them', async () => {
    const user = userEvent.setup();
    const { onSave, dialog } = renderEvents();
    expect(within(dialog).getByRole('heading', { name: 'Events synchronisation settings' }));

    await pick(
      user,
      within(dialog).getByRole('combobox', { name: 'Sync type' }),
      'Import events from the server to the CRM',
    );
    const past = within(dialog).getByRole('textbox', { name: /into the past/ });
    const future = within(dialog).getByRole('textbox', { name: /into the future/ });
    expect((past as HTMLInputElement).value).toBe('14');
    expect((future as HTMLInputElement).value).toBe('31');
    await user.clear(past);
    await user.type(past, '7');
    await user.clear(future);
    await user.type(future, '60');

    // The folder picker: a tree of the mailbox's calendars.
    expect(within(dialog).getByText('Default calendar: Kalendář')).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Add folder…' }));
    const picker = within(dialog).getByRole('group', { name: 'Choose a folder' });
    const tree = within(picker).getByRole('tree', { name: 'Folders of the mailbox' });
    // Only calendars: the address book is not offered.
    expect(within(tree).queryByText('Kontakty')).toBeNull();
    const projects = within(tree).getByRole('treeitem', { name: /Projekty/ });
    await user.click(within(projects).getByRole('radio'));
    await user.click(within(picker).getByRole('button', { name: 'Add' }));
    expect(within(dialog).queryByRole('group', { name: 'Choose a folder' })).toBeNull();
    expect(within(dialog).getByRole('list', { name: 'Calendar' }).textContent).toContain(
      'Projekty',
    );

    await user.click(within(dialog).getByRole('checkbox', { name: /private events/ }));
    await user.click(
      within(dialog).getByRole('radio', { name: 'Synchronise only events with these categories' }),
    );
    await user.click(within(dialog).getByRole('button', { name: 'Add pair' }));
    await user.click(within(dialog).getByRole('button', { name: 'Add pair' }));
    const server2 = within(dialog).getByRole('textbox', { name: 'Server category of pair 2' });
    expect((server2 as HTMLInputElement).value).toBe('Registrace');
    await user.clear(server2);
    await user.type(server2, 'Registrace CZ');

    await pick(user, within(dialog).getByRole('combobox', { name: /Status/ }), 'Příchozí');
    await user.click(within(dialog).getByRole('checkbox', { name: /Also link all companies/ }));

    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    expect(onSave.calls).toHaveLength(1);
    expect(onSave.calls[0]).toEqual({
      ...defaultSettings().agendas.events,
      direction: 'import',
      daysPast: 7,
      daysFuture: 60,
      folders: ['https://dav.example.com/cal/projects/'],
      skipPrivate: true,
      categoryMode: 'paired',
      categoryPairs: [
        { crm: 'HOTLINE', server: 'Hotline' },
        { crm: 'REGISTRACE', server: 'Registrace CZ' },
      ],
      importedStatus: 'Příchozí',
      linkCompanies: true,
    });
  });

  test('the folder picker: Escape closes only the picker; without a folder list a name is typed', async () => {
    const user = userEvent.setup();
    const onSave = spy<Agendas['events']>();
    let loads = 0;
    renderUi(
      <EventsDialog
        value={defaultSettings().agendas.events}
        onSave={onSave}
        onCancel={() => {}}
        lookups={lookups}
        folders={{ state: 'failed', message: 'HTTP 503 from the server' }}
        onLoadFolders={() => loads++}
      />,
    );
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByText("The mailbox's default calendar")).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Add folder…' }));
    expect(loads).toBe(1); // asked to list the folders again
    const picker = within(dialog).getByRole('group', { name: 'Choose a folder' });
    expect(within(picker).getByText(/HTTP 503 from the server/)).toBeTruthy();
    await user.type(within(picker).getByRole('textbox', { name: /Folder name or path/ }), 'Cal');
    await user.keyboard('{Escape}');
    expect(within(dialog).queryByRole('group', { name: 'Choose a folder' })).toBeNull();
    expect(screen.getByRole('dialog')).toBe(dialog);

    await user.click(within(dialog).getByRole('button', { name: 'Add folder…' }));
    await user.type(
      within(dialog).getByRole('textbox', { name: /Folder name or path/ }),
      'Kalendář/Projekty{Enter}',
    );
    expect(onSave.calls).toEqual([]);
    const list = within(dialog).getByRole('list', { name: 'Calendar' });
    expect(list.textContent).toContain('Kalendář/Projekty');
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    expect(onSave.calls[0]?.folders).toEqual(['Kalendář/Projekty']);
  });

  test('invalid days are explained next to the field and OK does not save', async () => {
    const user = userEvent.setup();
    const { onSave, dialog } = renderEvents();
    const past = within(dialog).getByRole('textbox', { name: /into the past/ });
    await user.clear(past);
    await user.type(past, 'abc');
    expect(descriptionOf(past)).toContain('Enter a whole number from 0 to 3650.');
    expect(past.getAttribute('aria-invalid')).toBe('true');

    await user.clear(past);
    await user.type(past, '4000');
    expect(descriptionOf(past)).toContain('Enter a whole number from 0 to 3650.');
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    expect(onSave.calls).toEqual([]);
    await waitFor(() => expect(document.activeElement).toBe(past));

    await user.clear(past);
    await user.type(past, '0');
    expect(descriptionOf(past)).toBe('');
    await user.keyboard('{Enter}');
    expect(onSave.calls[0]?.daysPast).toBe(0);
  });

  test('the pairing editor adds and removes rows, and refuses a category paired twice', async () => {
    const user = userEvent.setup();
    const value = {
      ...defaultSettings().agendas.events,
      categoryMode: 'paired' as const,
      categoryPairs: [
        { crm: 'HOTLINE', server: 'Hotline' },
        { crm: 'REGISTRACE', server: 'Registrace' },
        { crm: 'INSTALACE', server: 'Instalace' },
      ],
    };
    const { onSave, dialog } = renderEvents(value);
    const list = within(dialog).getByRole('list', { name: /Category pairs/ });
    expect(within(list).getAllByRole('listitem')).toHaveLength(3);

    await user.click(within(dialog).getByRole('button', { name: 'Remove pair 2 (REGISTRACE)' }));
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
    expect(
      (within(dialog).getByRole('combobox', { name: 'CRM category of pair 2' }) as HTMLInputElement)
        .value,
    ).toBe('INSTALACE');

    // Pair 2 made a second HOTLINE: refused.
    const crm2 = within(dialog).getByRole('combobox', { name: 'CRM category of pair 2' });
    await user.clear(crm2);
    await user.type(crm2, 'hotline');
    expect(
      within(dialog).getByText('The CRM category "hotline" is paired more than once.'),
    ).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    expect(onSave.calls).toEqual([]);

    // Removing every pair in "paired" mode asks for one.
    await user.click(within(dialog).getByRole('button', { name: /Remove pair 2/ }));
    await user.click(within(dialog).getByRole('button', { name: /Remove pair 1/ }));
    expect(
      within(dialog).getByText('Add at least one pair, or synchronise all items.'),
    ).toBeTruthy();

    // Adding one back: the CRM's first category, and the server name suggested from it.
    await user.click(within(dialog).getByRole('button', { name: 'Add pair' }));
    expect(within(list).getAllByRole('listitem')).toHaveLength(1);
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    expect(onSave.calls[0]?.categoryPairs).toEqual([{ crm: 'HOTLINE', server: 'Hotline' }]);
  });

  test('the default category lists the CRM categories with their icons', async () => {
    const user = userEvent.setup();
    const { onSave, dialog } = renderEvents();
    await pick(
      user,
      within(dialog).getByRole('combobox', { name: /Default CRM category/ }),
      'INSTALACE',
    );
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    expect(onSave.calls[0]?.defaultCategory).toBe('INSTALACE');
  });

  test('Escape and Cancel close without saving', async () => {
    const user = userEvent.setup();
    const { onSave, cancelled, dialog } = renderEvents();
    await user.type(within(dialog).getByRole('textbox', { name: /into the past/ }), '9');
    await user.keyboard('{Escape}');
    expect(cancelled()).toBe(1);
    expect(onSave.calls).toEqual([]);
  });

  test("the engine's problems from the last save are shown next to their fields", () => {
    renderUi(
      <EventsDialog
        value={defaultSettings().agendas.events}
        onSave={() => {}}
        onCancel={() => {}}
        lookups={lookups}
        folders={folders}
        problems={{
          'agendas.events.daysFuture': {
            text: 'agendas.events.daysFuture must be a whole number from 0 to 3650',
          },
        }}
      />,
    );
    const future = screen.getByRole('textbox', { name: /into the future/ });
    expect(descriptionOf(future)).toContain('must be a whole number from 0 to 3650');
  });
});

describe('tasks dialog', () => {
  test('export groups: "selected" needs a group; the checklist comes from the CRM', async () => {
    const user = userEvent.setup();
    const onSave = spy<Agendas['tasks']>();
    renderUi(
      <TasksDialog
        value={defaultSettings().agendas.tasks}
        onSave={onSave}
        onCancel={() => {}}
        lookups={lookups}
        folders={folders}
      />,
    );
    const dialog = screen.getByRole('dialog');
    await user.click(
      within(dialog).getByRole('radio', { name: 'Only tasks in these activity groups' }),
    );
    expect(
      within(dialog).getByText('Choose at least one activity group, or export all.'),
    ).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    expect(onSave.calls).toEqual([]);

    const groups = within(dialog).getByRole('group', { name: 'Activity groups' });
    expect(within(groups).getAllByRole('checkbox')).toHaveLength(3);
    await user.click(within(groups).getByRole('checkbox', { name: 'Servis' }));
    await user.click(within(dialog).getByRole('checkbox', { name: /show in calendar/ }));
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    expect(onSave.calls[0]).toMatchObject({
      exportGroups: { mode: 'selected', groups: ['Servis'] },
      showInCalendarAsEvent: false,
    });
  });
});

describe('contacts dialog', () => {
  test('categories checklist and the classification-tree branch picker', async () => {
    const user = userEvent.setup();
    const onSave = spy<Agendas['contacts']>();
    renderUi(
      <ContactsDialog
        value={defaultSettings().agendas.contacts}
        onSave={onSave}
        onCancel={() => {}}
        lookups={lookups}
        folders={folders}
      />,
    );
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByText('Default contacts folder: Kontakty')).toBeTruthy();

    // Only contact categories are offered, and only once the box is ticked.
    const list = within(dialog).getByRole('group', { name: 'Contact categories' });
    expect(within(list).getAllByRole('checkbox').length).toBe(3);
    expect(
      (within(list).getByRole('checkbox', { name: 'Zákazník' }) as HTMLInputElement).disabled,
    ).toBe(true);
    await user.click(
      within(dialog).getByRole('checkbox', {
        name: 'Synchronise only contacts with these categories',
      }),
    );
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    expect(
      within(dialog).getByText('Choose at least one category, or untick the box.'),
    ).toBeTruthy();
    expect(onSave.calls).toEqual([]);
    await user.click(within(list).getByRole('checkbox', { name: 'Zákazník' }));
    await user.click(within(list).getByRole('checkbox', { name: 'Partner' }));

    // The branch: a tree of the CRM's classification, "the whole tree" by default.
    const tree = within(dialog).getByRole('tree', {
      name: 'Synchronised branch of the classification tree',
    });
    const whole = within(tree).getByRole('treeitem', { name: /The whole tree/ });
    expect((within(whole).getByRole('radio') as HTMLInputElement).checked).toBe(true);
    const retail = within(tree).getByRole('treeitem', { name: 'Maloobchod' });
    await user.click(within(retail).getByRole('radio'));
    expect(
      within(dialog).getByText('Chosen: Kontakty/Zákazníci/Maloobchod (and everything below it).'),
    ).toBeTruthy();

    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    expect(onSave.calls[0]).toEqual({
      ...defaultSettings().agendas.contacts,
      categories: ['Zákazník', 'Partner'],
      classificationBranch: 'Kontakty/Zákazníci/Maloobchod',
    });
  });

  test('without the CRM tree the branch is typed and checked', async () => {
    const user = userEvent.setup();
    const onSave = spy<Agendas['contacts']>();
    renderUi(
      <ContactsDialog
        value={defaultSettings().agendas.contacts}
        onSave={onSave}
        onCancel={() => {}}
        lookups={{ state: 'failed', message: 'locked' }}
        folders={{ state: 'idle' }}
      />,
    );
    const branch = screen.getByRole('textbox', {
      name: 'Synchronised branch of the classification tree',
    });
    await user.type(branch, 'Kontakty//Zákazníci');
    expect(
      screen.getByText('Enter a path like Contacts/Customers, without empty parts.'),
    ).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'OK' }));
    expect(onSave.calls).toEqual([]);
  });
});

describe('mail dialog', () => {
  test('folders, days, attachments folder, category and types', async () => {
    const user = userEvent.setup();
    const onSave = spy<Agendas['mail']>();
    renderUi(
      <MailDialog
        value={defaultSettings().agendas.mail}
        onSave={onSave}
        onCancel={() => {}}
        lookups={lookups}
        folders={folders}
      />,
    );
    const dialog = screen.getByRole('dialog');
    const folderList = within(dialog).getByRole('list', { name: 'Mail folders' });
    expect(
      within(folderList)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['Inbox', 'Sent Items']);
    await user.click(within(dialog).getByRole('button', { name: 'Remove Sent Items' }));
    // Enter in the folder box adds the folder (and does not press OK).
    await user.type(within(dialog).getByRole('textbox', { name: 'Folder name' }), 'Archiv{Enter}');
    expect(onSave.calls).toEqual([]);
    expect(
      within(folderList)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['Inbox', 'Archiv']);

    const days = within(dialog).getByRole('textbox', { name: /from the last/ });
    await user.clear(days);
    await user.type(days, '0');
    expect(descriptionOf(days)).toContain('Enter a whole number from 1 to 3650.');
    await user.clear(days);
    await user.type(days, '90');

    await user.click(within(dialog).getByRole('checkbox', { name: 'Save attachments' }));
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    const directory = within(dialog).getByRole('textbox', { name: /Folder for saved attachments/ });
    expect(descriptionOf(directory)).toContain('Enter the folder to save attachments in.');
    await user.type(directory, 'C:\\Přílohy');
    await pick(
      user,
      within(dialog).getByRole('combobox', { name: 'Attachment category' }),
      'Příloha',
    );

    const types = within(dialog).getByRole('textbox', { name: /Attachment types/ });
    await user.clear(types);
    await user.type(types, 'doc; .PDF, x-y');
    expect(descriptionOf(types)).toContain('"x-y" is not a file type');
    await user.clear(types);
    await user.type(types, 'doc; .PDF, xlsx');

    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    expect(onSave.calls[0]).toEqual({
      ...defaultSettings().agendas.mail,
      folders: ['Inbox', 'Archiv'],
      maxAgeDays: 90,
      attachments: {
        save: true,
        directory: 'C:\\Přílohy',
        category: 'Příloha',
        allowedExtensions: ['doc', 'pdf', 'xlsx'],
      },
    });
  });
});

describe('activity settings of the source documents (issue 9, points 11, 12, 14)', () => {
  test('events: the imported status is chosen from the CRM statuses; one it does not use is refused', async () => {
    const user = userEvent.setup();
    const { onSave, dialog } = renderEvents({
      ...defaultSettings().agendas.events,
      importedStatus: 'Incoming',
    });
    const status = within(dialog).getByRole('combobox', { name: /Status/ });
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    expect(onSave.calls).toHaveLength(0);
    expect(
      within(dialog).getByText(
        '"Incoming" is not a status the CRM\'s events use: choose one from the list.',
      ),
    ).toBeTruthy();
    await user.click(status);
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual([
      'Leave it',
      'Incoming',
      'Naplánováno',
      'Příchozí',
      'Vyřízeno',
    ]);
    await user.click(screen.getByRole('option', { name: 'Vyřízeno' }));
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    expect(onSave.calls[0]?.importedStatus).toBe('Vyřízeno');
  });

  test('events: export only the selected groups, import from a day, all calendars', async () => {
    const user = userEvent.setup();
    const { onSave, dialog } = renderEvents();
    await user.click(
      within(dialog).getByRole('radio', {
        name: 'Only events in these activity groups (events without a group too)',
      }),
    );
    const groups = within(dialog).getByRole('group', { name: 'Activity groups' });
    await user.click(within(groups).getByRole('checkbox', { name: 'Obchod' }));
    const from = within(dialog).getByLabelText('Import only activities from') as HTMLInputElement;
    fireEvent.change(from, { target: { value: '2026-01-01' } });
    await user.click(within(dialog).getByRole('checkbox', { name: 'Synchronise all calendars' }));
    // Every calendar: no folder to pick.
    expect(within(dialog).queryByRole('button', { name: 'Add folder…' })).toBeNull();
    expect(
      within(dialog).getByText(
        'Every folder of this kind is synchronised; the default one receives new CRM items.',
      ),
    ).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    expect(onSave.calls[0]).toEqual({
      ...defaultSettings().agendas.events,
      exportGroups: { mode: 'selected', groups: ['Obchod'] },
      importFrom: '2026-01-01',
      allFolders: true,
    });
  });

  test('tasks: all task folders and import from a day; the owner setting stays', async () => {
    const user = userEvent.setup();
    const onSave = spy<Agendas['tasks']>();
    renderUi(
      <TasksDialog
        value={defaultSettings().agendas.tasks}
        onSave={onSave}
        onCancel={() => {}}
        lookups={lookups}
        folders={folders}
      />,
    );
    const dialog = screen.getByRole('dialog');
    expect(
      (
        within(dialog).getByRole('checkbox', {
          name: 'Import only tasks owned by the CRM user',
        }) as HTMLInputElement
      ).checked,
    ).toBe(true);
    fireEvent.change(within(dialog).getByLabelText('Import only activities from'), {
      target: { value: '2026-02-01' },
    });
    await user.click(
      within(dialog).getByRole('checkbox', { name: 'Synchronise all task folders' }),
    );
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    expect(onSave.calls[0]).toEqual({
      ...defaultSettings().agendas.tasks,
      importFrom: '2026-02-01',
      allFolders: true,
    });
  });

  test('general step: "synchronise automatically" can be switched off', async () => {
    const user = userEvent.setup();
    const changes = spy<Settings>();
    renderUi(
      <GeneralStep
        settings={defaultSettings()}
        onChange={changes}
        problems={{}}
        lookups={lookups}
        folders={folders}
        onLoadFolders={() => {}}
      />,
    );
    const box = screen.getByRole('checkbox', { name: 'Synchronise automatically' });
    expect((box as HTMLInputElement).checked).toBe(true);
    await user.click(box);
    expect(changes.calls[0]?.schedule).toEqual({ ...defaultSettings().schedule, automatic: false });
  });
});
