// BullMQ refuses custom job ids that contain ':' (its key separator) or read as an integer
// (they would clash with its own counter ids). The port takes any string, so the driver
// percent-escapes: '%' and ':' always, and the first character of an integer-looking id.
// Every '%' in an encoded id starts an escape, so decoding is exact.

const hex = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;

export function encodeJobId(id: string): string {
  const escaped = id.replace(/[%:]/g, hex);
  return `${parseInt(escaped, 10)}` === escaped ? hex(escaped[0]!) + escaped.slice(1) : escaped;
}

export function decodeJobId(encoded: string): string {
  return encoded.replace(/%([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}
