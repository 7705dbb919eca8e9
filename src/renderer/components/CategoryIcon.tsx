/** A CRM category's icon (categories.icon names a Fluent-style icon) and its label. */
import {
  AlertRegular,
  AttachRegular,
  BuildingRegular,
  CalendarRegular,
  CallRegular,
  CallWarningRegular,
  ContactCardRegular,
  DocumentEditRegular,
  DocumentRegular,
  HandshakeRegular,
  ImageRegular,
  MailRegular,
  MoneyRegular,
  PeopleRegular,
  PersonRegular,
  PersonStarRegular,
  ReceiptRegular,
  StarRegular,
  TagRegular,
  VehicleTruckProfileRegular,
  WrenchRegular,
} from '@fluentui/react-icons';
import type { ComponentType } from 'react';
import type { CrmCategoryInfo } from '../../shared/app-api.ts';

type Icon = ComponentType<{ 'aria-hidden'?: boolean; className?: string }>;

const ICONS: Record<string, Icon> = {
  'phone-alert': CallWarningRegular,
  phone: CallRegular,
  call: CallRegular,
  'id-card': ContactCardRegular,
  'contact-card': ContactCardRegular,
  wrench: WrenchRegular,
  people: PeopleRegular,
  person: PersonRegular,
  'person-star': PersonStarRegular,
  'document-edit': DocumentEditRegular,
  document: DocumentRegular,
  receipt: ReceiptRegular,
  truck: VehicleTruckProfileRegular,
  handshake: HandshakeRegular,
  paperclip: AttachRegular,
  attach: AttachRegular,
  calendar: CalendarRegular,
  mail: MailRegular,
  star: StarRegular,
  alert: AlertRegular,
  money: MoneyRegular,
  image: ImageRegular,
  building: BuildingRegular,
};

export function CategoryIcon({ icon }: { icon: string | null | undefined }) {
  const Component = (icon ? ICONS[icon.toLowerCase()] : undefined) ?? TagRegular;
  return <Component aria-hidden />;
}

export function CategoryLabel({ category }: { category: Pick<CrmCategoryInfo, 'name' | 'icon'> }) {
  return (
    <span className="category-label">
      <CategoryIcon icon={category.icon} />
      <span>{category.name}</span>
    </span>
  );
}

/** The categories an agenda can use: its own kind and those for any kind. */
export function categoriesOfKind(
  categories: readonly CrmCategoryInfo[] | undefined,
  kind: CrmCategoryInfo['kind'],
): CrmCategoryInfo[] {
  return (categories ?? []).filter((c) => c.kind === kind || c.kind === 'any');
}
