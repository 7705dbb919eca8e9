/**
 * A DAV:multistatus read as it arrives: each DAV:response is handed on as a DavEntry when
 * its end tag is read, so a listing of thousands of objects is never held whole, as text or
 * as a tree. sax is the tokenizer tsdav's parser (xml-js) already runs on these answers, so
 * what it tolerates is unchanged; names are read the same way (prefix dropped, camel-cased)
 * and texts trimmed, so entries look as davCall's do. A document that stops before its end
 * fails as a whole (incompleteAnswer): what is missing from a listing would read as deleted.
 */
import { StringDecoder } from 'node:string_decoder';
import sax from 'sax';
import { incompleteAnswer } from './failures.ts';
import { canonicalHref } from './hrefs.ts';
import type { HttpClient } from './http.ts';
import type { DavCall, DavEntry, DavReply } from './multistatus.ts';
import { parseDavError, textOf } from './multistatus.ts';

/** A davCall answer without its entries: they went to the caller one by one. */
export type StreamedReply = Omit<DavReply, 'entries'>;

/**
 * Sends a DAV request whose 207 answer is read as it arrives, `onEntry` called for each
 * response in it (an error thrown there ends the request). Other answers come back whole,
 * with the DAV:error conditions read. Entries already handed on count only if this resolves.
 */
export async function davStream(
  http: HttpClient,
  call: DavCall,
  onEntry: (entry: DavEntry) => void,
): Promise<StreamedReply> {
  let reader: MultistatusReader | undefined;
  const res = await http.send({
    method: call.method,
    url: call.url,
    headers: {
      'Content-Type': 'application/xml; charset=utf-8',
      ...(call.depth === undefined ? {} : { Depth: call.depth }),
      ...call.headers,
    },
    ...(call.body === undefined ? {} : { body: call.body }),
    sink: (status, _headers, answered) => {
      if (status !== 207) return undefined;
      const made = new MultistatusReader(answered, onEntry);
      reader = made;
      return (chunk) => made.write(chunk);
    },
  });
  const reply: StreamedReply = {
    status: res.status,
    statusText: res.statusText,
    multistatus: false,
    conditions: [],
    conditionHref: undefined,
    text: '',
    http: res,
  };
  if (reader === undefined) {
    const text = res.body.toString('utf8');
    const error = parseDavError(text);
    reply.conditions = error.conditions;
    reply.conditionHref = error.href;
    reply.text = text.slice(0, 4096);
    return reply;
  }
  const read = reader.end();
  if (!read.complete) throw incompleteAnswer(call.method, res.url);
  reply.multistatus = read.multistatus;
  if (read.syncToken !== undefined) reply.syncToken = read.syncToken;
  return reply;
}

/** An element below a DAV:prop or DAV:error, kept until its response ends. */
interface Node {
  name: string;
  children: Node[];
  text: string[];
  cdata: string[];
}

interface ResponseState {
  hrefs: string[];
  status: number | undefined;
  props: Record<string, unknown>;
  conditions: string[];
  conditionHref: string | undefined;
}

interface PropstatState {
  status: number | undefined;
  props: Node[];
}

/** Local name, camel-cased as tsdav names elements: "C:calendar-data" -> "calendarData". */
function localName(name: string): string {
  return name.replace(/^.+:/, '').replace(/-+(\w)/g, (_m, c: string) => c.toUpperCase());
}

/** "HTTP/1.1 404 Not Found" -> 404. */
function statusOf(line: string): number | undefined {
  const m = /^\s*HTTP\/[\d.]+\s+(\d{3})/i.exec(line);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

/**
 * The value of an element as tsdav's tree has it: a trimmed text (CDATA preferred), {} when
 * empty, or a record of its children (repeated names as arrays).
 */
function valueOf(node: Node): unknown {
  if (node.children.length === 0) {
    const text = (node.cdata.length > 0 ? node.cdata : node.text).join('').trim();
    return text === '' ? {} : text;
  }
  const out: Record<string, unknown> = {};
  for (const child of node.children) {
    const value = valueOf(child);
    const seen = out[child.name];
    if (seen === undefined) out[child.name] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else out[child.name] = [seen, value];
  }
  return out;
}

/** Structural faults sax reports: the document is not whole (any other fault is tolerated). */
const STRUCTURAL = /close tag|closing tag|unclosed|outside of root|after root/i;

export class MultistatusReader {
  readonly #parser = sax.parser(true, { trim: false, normalize: false, position: false });
  readonly #decoder = new StringDecoder('utf8');
  readonly #url: string;
  readonly #onEntry: (entry: DavEntry) => void;
  /** Local names of the open elements, root first. */
  readonly #path: string[] = [];
  #roots = 0;
  #broken = false;
  #multistatus = false;
  #syncToken: string | undefined;
  #response: ResponseState | undefined;
  #propstat: PropstatState | undefined;
  /** Open elements being kept (below prop or error), innermost last. */
  #kept: Node[] = [];
  /** Text of a href, status or sync-token being read. */
  #leafText: string[] | undefined;
  #failure: unknown;

  constructor(url: string, onEntry: (entry: DavEntry) => void) {
    this.#url = url;
    this.#onEntry = onEntry;
    const p = this.#parser;
    p.onerror = (err) => {
      if (STRUCTURAL.test(err.message)) this.#broken = true;
      p.resume(); // tolerated as xml-js does: parsing goes on
    };
    p.onopentag = (tag) => this.#open(localName(tag.name));
    p.onclosetag = () => this.#close();
    p.ontext = (text) => this.#text(text, false);
    p.oncdata = (text) => this.#text(text, true);
  }

  /** Feeds decoded body bytes; throws what onEntry threw. */
  write(chunk: Buffer): void {
    this.#parser.write(this.#decoder.write(chunk));
    this.#rethrow();
  }

  end(): { complete: boolean; multistatus: boolean; syncToken: string | undefined } {
    this.#parser.write(this.#decoder.end());
    this.#parser.close();
    this.#rethrow();
    const complete = !this.#broken && this.#roots === 1 && this.#path.length === 0;
    return { complete, multistatus: this.#multistatus, syncToken: this.#syncToken };
  }

  #rethrow(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }

  #open(name: string): void {
    const path = this.#path;
    const parent = path[path.length - 1];
    path.push(name);
    if (path.length === 1) {
      this.#roots++;
      if (this.#roots > 1) this.#broken = true;
      this.#multistatus = name === 'multistatus';
      return;
    }
    if (!this.#multistatus) return;
    const kept = this.#kept[this.#kept.length - 1];
    if (kept !== undefined) {
      const node: Node = { name, children: [], text: [], cdata: [] };
      kept.children.push(node);
      this.#kept.push(node);
      return;
    }
    if (path.length === 2) {
      if (name === 'response') {
        this.#response = {
          hrefs: [],
          status: undefined,
          props: {},
          conditions: [],
          conditionHref: undefined,
        };
      } else if (name === 'syncToken') {
        this.#leafText = [];
      }
      return;
    }
    const response = this.#response;
    if (response === undefined) return;
    if (parent === 'response') {
      if (name === 'href' || name === 'status') this.#leafText = [];
      else if (name === 'propstat') this.#propstat = { status: undefined, props: [] };
      else if (name === 'error') this.#kept.push({ name, children: [], text: [], cdata: [] });
    } else if (parent === 'propstat' && this.#propstat !== undefined) {
      if (name === 'status') this.#leafText = [];
      else if (name === 'prop') this.#kept.push({ name, children: [], text: [], cdata: [] });
    }
  }

  #close(): void {
    const path = this.#path;
    const name = path.pop();
    if (name === undefined || !this.#multistatus) return;
    const kept = this.#kept;
    if (kept.length > 0) {
      const node = kept.pop();
      if (kept.length === 0 && node !== undefined) this.#keep(node);
      return;
    }
    const leaf = this.#leafText;
    if (leaf !== undefined) {
      this.#leafText = undefined;
      const text = leaf.join('').trim();
      const parent = path[path.length - 1];
      if (name === 'syncToken' && path.length === 1) {
        this.#syncToken = text;
      } else if (name === 'href' && this.#response !== undefined) {
        this.#response.hrefs.push(text);
      } else if (name === 'status' && parent === 'propstat' && this.#propstat !== undefined) {
        this.#propstat.status = statusOf(text);
      } else if (name === 'status' && this.#response !== undefined) {
        this.#response.status = statusOf(text);
      }
      return;
    }
    if (name === 'propstat' && this.#propstat !== undefined && this.#response !== undefined) {
      const { status, props } = this.#propstat;
      this.#propstat = undefined;
      // Properties the server could not give (404 propstat) are not there at all.
      if (status !== undefined && (status < 200 || status >= 300)) return;
      for (const prop of props) {
        const value = valueOf(prop);
        Object.assign(
          this.#response.props,
          value !== null && typeof value === 'object' ? value : {},
        );
      }
      return;
    }
    if (name === 'response' && path.length === 1 && this.#response !== undefined) {
      const response = this.#response;
      this.#response = undefined;
      this.#emit(response);
    }
  }

  /** A finished DAV:prop or DAV:error element. */
  #keep(node: Node): void {
    if (node.name === 'prop') {
      this.#propstat?.props.push(node);
      return;
    }
    const response = this.#response;
    if (response === undefined) return;
    const value = valueOf(node);
    const record =
      value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
    response.conditions = Object.keys(record);
    response.conditionHref = response.conditions
      .map((c) => {
        const condition = (record as Record<string, unknown>)[c];
        return condition !== null && typeof condition === 'object'
          ? textOf((condition as Record<string, unknown>)['href'])
          : undefined;
      })
      .find((h) => h !== undefined);
  }

  #emit(response: ResponseState): void {
    if (this.#failure !== undefined) return;
    for (const href of response.hrefs) {
      if (href === '') continue;
      let canonical: string;
      try {
        canonical = canonicalHref(href, this.#url);
      } catch {
        continue; // not a URL at all: nothing we could ever address
      }
      try {
        this.#onEntry({
          href: canonical,
          status: response.status ?? 200,
          props: response.props,
          conditions: response.conditions,
          conditionHref: response.conditionHref,
        });
      } catch (err) {
        this.#failure = err;
        return;
      }
    }
  }

  #text(text: string, cdata: boolean): void {
    if (this.#path.length === 0) {
      if (/[^\s\uFEFF]/.test(text)) this.#broken = true; // text outside the root element
      return;
    }
    if (this.#leafText !== undefined) {
      this.#leafText.push(text);
      return;
    }
    const node = this.#kept[this.#kept.length - 1];
    if (node !== undefined) (cdata ? node.cdata : node.text).push(text);
  }
}
