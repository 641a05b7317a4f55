import { describe, expect, it } from 'vitest';
import { decodeJobId, encodeJobId } from './bullmq-ids.js';

describe('BullMQ job id encoding', () => {
  const ids = ['order-42', 'timer:wf1:node2', '42', '-7', '0', '007', '%3A', '100%', ':', 'a:b:c', '12:30', 'é:ü', '%25'];

  it('gives ids BullMQ accepts (no ":", not an integer) and decodes them back', () => {
    for (const id of ids) {
      const encoded = encodeJobId(id);
      expect(encoded).not.toContain(':');
      expect(`${parseInt(encoded, 10)}`).not.toBe(encoded);
      expect(decodeJobId(encoded)).toBe(id);
    }
  });

  it('keeps distinct ids distinct and plain ids unchanged', () => {
    expect(new Set(ids.map(encodeJobId)).size).toBe(ids.length);
    expect(encodeJobId('order-42')).toBe('order-42');
    expect(encodeJobId('0b1e4c1e-8f0a-4a57-9b7e-3d0c1f2a9e11')).toBe('0b1e4c1e-8f0a-4a57-9b7e-3d0c1f2a9e11');
  });
});
