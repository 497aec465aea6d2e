import { describe, expect, it } from 'vitest';
import { decodeBasicEntities } from './html-text.js';

describe('decodeBasicEntities', () => {
  it('decodes what the sanitiser escapes, and an escaped entity only once', () => {
    expect(decodeBasicEntities('a&nbsp;&lt;b&gt; &quot;c&quot; &#39;d&#39; &amp; e')).toBe(`a <b> "c" 'd' & e`);
    expect(decodeBasicEntities('&amp;lt;')).toBe('&lt;');
    expect(decodeBasicEntities('无实体')).toBe('无实体');
  });
});
