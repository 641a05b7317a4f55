const ALPHABET = /^[A-Za-z0-9_-]*$/;

/**
 * Decodes unpadded base64url, or null when the text is not its one canonical
 * spelling: Buffer.from skips unknown characters and ignores stray low bits, so
 * without the round trip many different strings would decode to the same bytes.
 */
export function decodeBase64Url(text: string): Buffer | null {
  if (typeof text !== 'string' || !ALPHABET.test(text)) return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}
