// Building FIX tag=value messages with correct BodyLength (9) and CheckSum (10).
export const SOH = '\x01';

export type FieldList = ReadonlyArray<readonly [number, string]>;

/** The message `8=<beginString>|9=<n>|<body>|10=<sum>|` for the body fields given (35 first). */
export function buildMessage(beginString: string, body: FieldList): Buffer {
  const bodyText = body.map(([t, v]) => `${t}=${v}${SOH}`).join('');
  const head = `8=${beginString}${SOH}9=${Buffer.byteLength(bodyText, 'latin1')}${SOH}`;
  const withoutTrailer = Buffer.from(head + bodyText, 'latin1');
  return Buffer.concat([withoutTrailer, Buffer.from(`10=${checksum(withoutTrailer)}${SOH}`, 'latin1')]);
}

/** CheckSum (10): the byte sum modulo 256 as three digits. */
export function checksum(bytes: Uint8Array): string {
  let sum = 0;
  for (const b of bytes) sum = (sum + b) & 0xff;
  return sum.toString().padStart(3, '0');
}
