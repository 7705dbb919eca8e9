/**
 * Migration 4: what the sync knows of an item's categories, on its pairing row (JSON, see
 * src/core/sync/categories.ts): which server categories the sync itself put there (only
 * those may it take off again) and the CRM category an import gave that never goes to the
 * server. NULL on rows written before: the engine then keeps every server category.
 * Frozen once released, like every migration.
 */
export const pairingCategoriesSql = `
ALTER TABLE sync_pairings ADD COLUMN categories TEXT;
`;
