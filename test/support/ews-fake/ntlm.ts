// NTLM server side: Type 2 challenge, Type 3 verification (NTLMv2, and NTLMv1 with or
// without extended session security) against the account's password.
import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { md4 } from './md4.ts';

const SIGNATURE = Buffer.from('NTLMSSP\0', 'ascii');
const FLAGS = {
  unicode: 0x1,
  requestTarget: 0x4,
  ntlm: 0x200,
  alwaysSign: 0x8000,
  targetTypeDomain: 0x10000,
  extendedSessionSecurity: 0x80000,
  targetInfo: 0x800000,
  n128: 0x20000000,
  n56: 0x80000000,
};
export const SERVER_DOMAIN = 'FAKEEWS';

export function ntlmMessageType(msg: Buffer): number | undefined {
  if (msg.length < 12 || !msg.subarray(0, 8).equals(SIGNATURE)) return undefined;
  return msg.readUInt32LE(8);
}

function avPair(id: number, value: string): Buffer {
  const v = Buffer.from(value, 'utf16le');
  const head = Buffer.alloc(4);
  head.writeUInt16LE(id, 0);
  head.writeUInt16LE(v.length, 2);
  return Buffer.concat([head, v]);
}

/** A Type 2 message for `challenge` (8 bytes). */
export function type2Message(challenge: Buffer): Buffer {
  const target = Buffer.from(SERVER_DOMAIN, 'utf16le');
  const info = Buffer.concat([
    avPair(2, SERVER_DOMAIN),
    avPair(1, 'EXCH01'),
    avPair(4, 'fakeews.test'),
    avPair(3, 'exch01.fakeews.test'),
    Buffer.from([0, 0, 0, 0]),
  ]);
  const head = Buffer.alloc(48);
  SIGNATURE.copy(head, 0);
  head.writeUInt32LE(2, 8);
  head.writeUInt16LE(target.length, 12);
  head.writeUInt16LE(target.length, 14);
  head.writeUInt32LE(48, 16);
  const flags =
    FLAGS.unicode |
    FLAGS.requestTarget |
    FLAGS.ntlm |
    FLAGS.alwaysSign |
    FLAGS.targetTypeDomain |
    FLAGS.extendedSessionSecurity |
    FLAGS.targetInfo |
    FLAGS.n128 |
    FLAGS.n56;
  head.writeUInt32LE(flags >>> 0, 20);
  challenge.copy(head, 24);
  head.writeUInt16LE(info.length, 40);
  head.writeUInt16LE(info.length, 42);
  head.writeUInt32LE(48 + target.length, 44);
  return Buffer.concat([head, target, info]);
}

export interface Type3 {
  user: string;
  domain: string;
  lm: Buffer;
  nt: Buffer;
  flags: number;
}

function secBuf(msg: Buffer, at: number): Buffer {
  const len = msg.readUInt16LE(at);
  const off = msg.readUInt32LE(at + 4);
  return msg.subarray(off, off + len);
}

export function parseType3(msg: Buffer): Type3 | undefined {
  if (ntlmMessageType(msg) !== 3 || msg.length < 52) return undefined;
  const flags = msg.length >= 64 ? msg.readUInt32LE(60) : FLAGS.unicode;
  const enc = flags & FLAGS.unicode ? 'utf16le' : 'latin1';
  return {
    lm: secBuf(msg, 12),
    nt: secBuf(msg, 20),
    domain: secBuf(msg, 28).toString(enc),
    user: secBuf(msg, 36).toString(enc),
    flags,
  };
}

function ntHash(password: string): Buffer {
  return md4(Buffer.from(password, 'utf16le'));
}

/** DES-ECB of one block with a 7-byte key (3DES with K1=K2=K3 is single DES). */
function des(key7: Buffer, block: Buffer): Buffer {
  const k = Buffer.alloc(8);
  k[0] = key7[0]! & 0xfe;
  for (let i = 1; i < 7; i++) k[i] = ((key7[i - 1]! << (8 - i)) | (key7[i]! >> i)) & 0xfe;
  k[7] = (key7[6]! << 1) & 0xfe;
  const c = createCipheriv('des-ede3', Buffer.concat([k, k, k]), null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(block), c.final()]);
}

function desl(hash16: Buffer, data8: Buffer): Buffer {
  const k = Buffer.concat([hash16, Buffer.alloc(5)]);
  return Buffer.concat([
    des(k.subarray(0, 7), data8),
    des(k.subarray(7, 14), data8),
    des(k.subarray(14, 21), data8),
  ]);
}

/** True when the Type 3 responses were computed from `password` and `challenge`. */
export function verifyType3(t3: Type3, password: string, challenge: Buffer): boolean {
  const hash = ntHash(password);
  if (t3.nt.length > 24) {
    const proof = t3.nt.subarray(0, 16);
    const blob = t3.nt.subarray(16);
    // NTLMv2: the domain the client used is in the Type 3; try it and the empty one.
    for (const domain of new Set([t3.domain, t3.domain.toUpperCase(), ''])) {
      const v2 = createHmac('md5', hash)
        .update(Buffer.from(t3.user.toUpperCase() + domain, 'utf16le'))
        .digest();
      const expected = createHmac('md5', v2)
        .update(Buffer.concat([challenge, blob]))
        .digest();
      if (expected.equals(proof)) return true;
    }
    return false;
  }
  if (t3.nt.length !== 24) return false;
  if (desl(hash, challenge).equals(t3.nt)) return true;
  // NTLMv1 with extended session security: client challenge in the LM field.
  if (t3.lm.length >= 8) {
    const mixed = createHash('md5')
      .update(Buffer.concat([challenge, t3.lm.subarray(0, 8)]))
      .digest()
      .subarray(0, 8);
    if (desl(hash, mixed).equals(t3.nt)) return true;
  }
  return false;
}

export function newChallenge(): Buffer {
  return randomBytes(8);
}
