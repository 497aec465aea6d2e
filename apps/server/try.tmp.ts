import { readFileSync } from 'node:fs';
import { tokenize } from './src/modules/content/index.js';
const groups: string[][] = JSON.parse(readFileSync('/tmp/syn/groups.json', 'utf8'));
for (const g of groups) for (const w of g) { const t = tokenize(w); if (!t.includes(w)) console.log('NOT A TOKEN', w, t.join('|')); }
