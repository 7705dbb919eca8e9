// MD4 (RFC 1320) for NTLM's NT hash: Node's OpenSSL 3 no longer offers it.

function rotl(v: number, s: number): number {
  return (v << s) | (v >>> (32 - s));
}

export function md4(data: Buffer): Buffer {
  const padLen = Math.ceil((data.length + 9) / 64) * 64;
  const buf = Buffer.alloc(padLen);
  data.copy(buf);
  buf[data.length] = 0x80;
  const bits = data.length * 8;
  buf.writeUInt32LE(bits >>> 0, padLen - 8);
  buf.writeUInt32LE(Math.floor(bits / 2 ** 32), padLen - 4);
  let a = 0x67452301;
  let b = 0xefcdab89;
  let c = 0x98badcfe;
  let d = 0x10325476;
  const x = new Array<number>(16).fill(0);
  const F = (p: number, q: number, r: number): number => (p & q) | (~p & r);
  const G = (p: number, q: number, r: number): number => (p & q) | (p & r) | (q & r);
  const H = (p: number, q: number, r: number): number => p ^ q ^ r;
  for (let off = 0; off < padLen; off += 64) {
    for (let i = 0; i < 16; i++) x[i] = buf.readInt32LE(off + 4 * i);
    const [aa, bb, cc, dd] = [a, b, c, d];
    const r1 = (p: number, q: number, r: number, s: number, k: number, sh: number): number =>
      rotl((p + F(q, r, s) + (x[k] ?? 0)) | 0, sh);
    const r2 = (p: number, q: number, r: number, s: number, k: number, sh: number): number =>
      rotl((p + G(q, r, s) + (x[k] ?? 0) + 0x5a827999) | 0, sh);
    const r3 = (p: number, q: number, r: number, s: number, k: number, sh: number): number =>
      rotl((p + H(q, r, s) + (x[k] ?? 0) + 0x6ed9eba1) | 0, sh);
    for (const i of [0, 4, 8, 12]) {
      a = r1(a, b, c, d, i, 3);
      d = r1(d, a, b, c, i + 1, 7);
      c = r1(c, d, a, b, i + 2, 11);
      b = r1(b, c, d, a, i + 3, 19);
    }
    for (const i of [0, 1, 2, 3]) {
      a = r2(a, b, c, d, i, 3);
      d = r2(d, a, b, c, i + 4, 5);
      c = r2(c, d, a, b, i + 8, 9);
      b = r2(b, c, d, a, i + 12, 13);
    }
    for (const i of [0, 2, 1, 3]) {
      a = r3(a, b, c, d, i, 3);
      d = r3(d, a, b, c, i + 8, 9);
      c = r3(c, d, a, b, i + 4, 11);
      b = r3(b, c, d, a, i + 12, 15);
    }
    a = (a + aa) | 0;
    b = (b + bb) | 0;
    c = (c + cc) | 0;
    d = (d + dd) | 0;
  }
  const out = Buffer.alloc(16);
  out.writeInt32LE(a, 0);
  out.writeInt32LE(b, 4);
  out.writeInt32LE(c, 8);
  out.writeInt32LE(d, 12);
  return out;
}
