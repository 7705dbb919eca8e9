// Schema validation of request bodies with xmllint, batched: bodies are written to a temp
// dir as they arrive and validated many-per-process when results are asked for.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCHEMA_DIR } from './schema-order.ts';
import { children, NS, toXmlWithNamespaces, type XElement } from './xml.ts';

interface Pending {
  file: string;
  operation: string;
}

export class RequestValidator {
  private readonly dir: string;
  private pending: Pending[] = [];
  private readonly failures: { operation: string; error: string }[] = [];
  private serial = 0;
  private running: Promise<void> = Promise.resolve();

  constructor() {
    if (!existsSync(join(SCHEMA_DIR, 'messages.xsd'))) {
      throw new Error(
        `EWS schema not found in ${SCHEMA_DIR}: set EWS_SCHEMA_DIR, or start the fake with validate: false.`,
      );
    }
    this.dir = mkdtempSync(join(tmpdir(), 'ews-fake-'));
  }

  /** Queues the body's operation element and each SOAP header element. */
  add(operation: string, body: XElement, header: XElement | undefined): void {
    const parts = [
      body,
      ...(header ? children(header).filter((h) => h.namespaceURI === NS.t) : []),
    ];
    for (const part of parts) {
      const file = join(this.dir, `${++this.serial}.xml`);
      writeFileSync(file, toXmlWithNamespaces(part));
      this.pending.push({ file, operation });
    }
    if (this.pending.length >= 400) void this.flush();
  }

  /** Queues a document that is not a well-formed request at all. */
  addFailure(operation: string, error: string): void {
    this.failures.push({ operation, error });
  }

  flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (!batch.length) return this.running;
    this.running = this.running.then(() => this.run(batch));
    return this.running;
  }

  private run(batch: Pending[]): Promise<void> {
    return new Promise((resolve) => {
      execFile(
        'xmllint',
        [
          '--noout',
          '--nonet',
          '--schema',
          join(SCHEMA_DIR, 'messages.xsd'),
          ...batch.map((b) => b.file),
        ],
        { maxBuffer: 64 * 1024 * 1024 },
        (_err, _stdout, stderr) => {
          const byFile = new Map(batch.map((b) => [b.file, b]));
          const errors = new Map<string, string[]>();
          for (const line of stderr.split('\n')) {
            const err = /^(.+?\.xml):\d+: (.*)$/.exec(line);
            if (err) errors.set(err[1]!, [...(errors.get(err[1]!) ?? []), err[2]!]);
            const failed = /^(.+?\.xml) fails to validate$/.exec(line);
            const b = failed ? byFile.get(failed[1]!) : undefined;
            if (b)
              this.failures.push({
                operation: b.operation,
                error: (errors.get(b.file) ?? ['invalid']).join('; '),
              });
          }
          for (const b of batch) rmSync(b.file, { force: true });
          resolve();
        },
      );
    });
  }

  async results(): Promise<{ operation: string; error: string }[]> {
    await this.flush();
    return [...this.failures];
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
