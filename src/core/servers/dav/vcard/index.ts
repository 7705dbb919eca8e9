/**
 * vCard 3.0/4.0 <-> the neutral contact model, for the CardDAV connector.
 *
 * Decisions (details in card.ts): new cards are vCard 3.0 (`options.version` can ask for
 * 4.0); a patched card keeps its version and every line the model does not own. A card
 * without UID reads as uid "". The model's address is the preferred ADR, else the first;
 * no address removes only that one. A URL photo reads as none and stays. Contact groups
 * are not persons: isContactGroup() tells them apart, parseVCard refuses them.
 */
export type { ParsedVCard, VCardRenderOptions } from './card.ts';
export { PRODID, isContactGroup, parseVCard, renderVCard } from './card.ts';
export type { VCardVersion } from './fields.ts';
