/** vCard 3.0/4.0 <-> the neutral contact model, for the CardDAV connector. See card.ts. */
export type { ParsedVCard, VCardRenderOptions } from './card.ts';
export { PRODID, parseVCard, renderVCard } from './card.ts';
export type { VCardVersion } from './fields.ts';
