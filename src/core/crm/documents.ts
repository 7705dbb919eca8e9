/** Documents: attachments saved to disk, with the e-mail they came from and a category. */
import type { CrmDatabase } from './database.ts';
import { definedOnly, deleteRow, insertRow } from './sql.ts';
import type { CrmDocument, NewDocument } from './types.ts';

interface DocumentRow {
  id: number;
  email_id: number | null;
  path: string;
  file_name: string;
  size: number;
  sha256: string | null;
  mime_type: string | null;
  category_id: number | null;
  created_at: string;
}

function toDocument(r: DocumentRow): CrmDocument {
  return {
    id: r.id,
    emailId: r.email_id,
    path: r.path,
    fileName: r.file_name,
    size: r.size,
    sha256: r.sha256,
    mimeType: r.mime_type,
    categoryId: r.category_id,
    createdAt: r.created_at,
  };
}

export function insertDocument(db: CrmDatabase, doc: NewDocument): number {
  return insertRow(
    db,
    'documents',
    definedOnly({
      email_id: doc.emailId,
      path: doc.path,
      file_name: doc.fileName,
      size: doc.size,
      sha256: doc.sha256?.toLowerCase() ?? doc.sha256,
      mime_type: doc.mimeType,
      category_id: doc.categoryId,
    }),
  );
}

export function getDocument(db: CrmDatabase, id: number): CrmDocument | undefined {
  const row = db.prepare<[number], DocumentRow>('SELECT * FROM documents WHERE id = ?').get(id);
  return row && toDocument(row);
}

export function listDocumentsOfEmail(db: CrmDatabase, emailId: number): CrmDocument[] {
  return db
    .prepare<[number], DocumentRow>('SELECT * FROM documents WHERE email_id = ? ORDER BY id')
    .all(emailId)
    .map(toDocument);
}

/** Documents with that content, e.g. to avoid saving the same attachment twice. */
export function findDocumentsBySha256(db: CrmDatabase, sha256: string): CrmDocument[] {
  return db
    .prepare<[string], DocumentRow>('SELECT * FROM documents WHERE sha256 = ? ORDER BY id')
    .all(sha256.toLowerCase())
    .map(toDocument);
}

/** Forgets the document; the file on disk is left alone. */
export function deleteDocument(db: CrmDatabase, id: number): boolean {
  return deleteRow(db, 'documents', id);
}
