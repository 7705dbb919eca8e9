/**
 * Whether an XML answer arrived whole. The XML parsers the connectors use (tsdav's xml-js,
 * ews-javascript-api's xmldom) accept a document cut short and hand back what was there:
 * a listing that stops half-way would read as "everything else is gone". Shared by the
 * DAV and EWS connectors; knows nothing of either.
 */
import { ServerError } from './errors.ts';

/**
 * Comments, CDATA, processing instructions and DOCTYPE are skipped whole; a tag is
 * `<name …>`, `</name>` or `<name …/>` (attribute values may hold ">"). A lone "<" that
 * starts none of these is a document cut inside markup.
 */
const MARKUP =
  /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>|<(\/?)([^\s/>!?<]+)(?:[^>"'<]|"[^"]*"|'[^']*')*?(\/?)>|</g;

/** One root element, every element closed in order, nothing but blanks around the root. */
export function isCompleteXml(text: string): boolean {
  const stack: string[] = [];
  let roots = 0;
  let last = 0;
  MARKUP.lastIndex = 0;
  for (let m = MARKUP.exec(text); m !== null; m = MARKUP.exec(text)) {
    // Text outside the root element must be blank (a BOM is fine too).
    if (stack.length === 0 && /[^\s\uFEFF]/.test(text.slice(last, m.index))) return false;
    last = m.index + m[0].length;
    const name = m[2];
    if (name === undefined) {
      if (m[0] === '<') return false; // cut inside a tag, comment or CDATA section
      continue;
    }
    if (m[1] === '/') {
      if (stack.pop() !== name) return false;
    } else if (m[3] !== '/') {
      if (stack.length === 0) roots++;
      stack.push(name);
    } else if (stack.length === 0) {
      roots++;
    }
  }
  return stack.length === 0 && roots === 1 && !/\S/.test(text.slice(last));
}

/**
 * The failure for an answer that is not whole: transient (the next try may get it all),
 * and nothing in it may be used, least of all what is missing from it. `server` and `url`
 * as the connector shows them.
 */
export function incompleteAnswer(method: string, server: string, url: string): ServerError {
  return new ServerError(
    `${server} sent an incomplete answer to ${method} ${url} (the XML stops before its end); nothing was changed for it, try again later.`,
    { transient: true, code: 'answer-incomplete', params: { server, method, url } },
  );
}
