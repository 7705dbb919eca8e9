/**
 * Redirects on Exchange: an https autodiscover endpoint that names an http:// EWS
 * address is not followed there (the password would travel in clear).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCertificate, startFakeServer } from '../dav-transport/fake-servers.ts';
import type { FakeServer } from '../dav-transport/fake-servers.ts';
import type { FakeEws } from '../support/ews-fake/index.ts';
import { USER, connect, failureOf, startFake } from './helpers.ts';

describe('autodiscover and unencrypted addresses', () => {
  let fake: FakeEws;
  /** https in front of the fake's (http) autodiscover: its answer names the fake's http EWS URL. */
  let secure: FakeServer;
  let fingerprint = '';

  beforeAll(async () => {
    fake = await startFake();
    const tls = selfSignedCertificate();
    fingerprint = tls.fingerprint;
    secure = await startFakeServer((req, res, body) => {
      void fetch(fake.autodiscoverUrl, {
        method: 'POST',
        headers: {
          'Content-Type': req.headers['content-type'] ?? 'text/xml',
          Authorization: req.headers.authorization ?? '',
        },
        body,
      })
        .then(async (answer) => {
          res.writeHead(answer.status, { 'Content-Type': 'text/xml; charset=utf-8' });
          res.end(await answer.text());
        })
        .catch(() => res.writeHead(502).end());
    }, tls);
  });

  afterAll(async () => {
    await secure?.close();
    await fake?.stop();
  });

  it('does not use an http:// EWS address named by an https autodiscover endpoint', async () => {
    const before = fake.calls.length;
    const { connector } = connect(fake, {
      ewsUrl: undefined,
      email: USER.smtp,
      autodiscoverUrls: [`${secure.url}autodiscover/autodiscover.svc`],
      trustedSha256Fingerprint: fingerprint,
    });
    try {
      const err = await failureOf(connector.testConnection());
      expect(err.code).toBe('autodiscover-failed');
      expect(String(err.params['detail'])).toMatch(/unencrypted EWS address/);
    } finally {
      await connector.close();
    }
    // Autodiscover was asked; the EWS address itself never was.
    const calls = fake.calls.slice(before).map((c) => c.operation);
    expect(calls).toEqual(['GetUserSettings']);
  });
});
