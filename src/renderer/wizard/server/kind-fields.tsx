/**
 * Which fields each server kind shows, looked up by the kind's id from its descriptor
 * (src/shared/server-kinds.ts): a new kind adds its own fields component here.
 */
import type { ComponentType } from 'react';
import type { ServerKindId } from '../../../shared/server-kinds.ts';
import type { FieldValidation } from '../../components/problems.ts';
import type { ConnectionSettings } from '../../settings/validate.ts';
import { DavAdvancedFields, DavFields } from './DavFields.tsx';
import { ExchangeAdvancedFields, ExchangeFields } from './ExchangeFields.tsx';
import type { KindFieldsProps } from './fields.tsx';
import { M365Fields } from './M365Fields.tsx';

interface KindFieldSet<Section> {
  /** Shown under the choice of server. */
  main: ComponentType<KindFieldsProps<Section>>;
  /** Shown under "Advanced", before the proxy and certificate every kind has. */
  advanced?: ComponentType<KindFieldsProps<Section>>;
}

const KIND_FIELDS: { [K in ServerKindId]: KindFieldSet<ConnectionSettings[K]> } = {
  exchange: { main: ExchangeFields, advanced: ExchangeAdvancedFields },
  m365: { main: M365Fields },
  dav: { main: DavFields, advanced: DavAdvancedFields },
};

/** The fields of the connection's kind: its main ones or its advanced ones. */
export function ServerKindFields(props: {
  connection: ConnectionSettings;
  onChange: (connection: ConnectionSettings) => void;
  problemOf: (field: string) => FieldValidation;
  part: 'main' | 'advanced';
}) {
  return kindFields(props.connection.kind, props);
}

function kindFields<K extends ServerKindId>(
  kind: K,
  props: {
    connection: ConnectionSettings;
    onChange: (connection: ConnectionSettings) => void;
    problemOf: (field: string) => FieldValidation;
    part: 'main' | 'advanced';
  },
) {
  const set: KindFieldSet<ConnectionSettings[K]> = KIND_FIELDS[kind];
  const Fields = props.part === 'main' ? set.main : set.advanced;
  if (Fields === undefined) return null;
  const section = props.connection[kind];
  return (
    <Fields
      value={section}
      onChange={(patch) =>
        props.onChange({ ...props.connection, [kind]: Object.assign({}, section, patch) })
      }
      problemOf={props.problemOf}
    />
  );
}
