// The baseline: a bare Fastify server with a JSON route and a POST route, no plugins. Ratios are app / this.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/json', async () => ({ status: 'live', uptimeSeconds: 1 }));
// The autosave baseline (bench/exam-storm.mjs): parses the JSON body, writes nothing, answers like a save.
app.post('/save', async (request) => ({ seq: request.body.seq, savedAt: Date.now(), stale: false }));
const url = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
console.log(JSON.stringify({ ready: url }));
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
