/** What `crm-sync init --agendas` accepts: the command's help and its action both name them. */
export const INIT_AGENDAS = ['events', 'tasks', 'contacts', 'mail'] as const;
