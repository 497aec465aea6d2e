// The baseline: a bare Fastify server with one JSON route, no plugins. Ratios are app / this.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/json', async () => ({ status: 'live', uptimeSeconds: 1 }));
const url = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
console.log(JSON.stringify({ ready: url }));
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
