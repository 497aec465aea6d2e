import { fileURLToPath, URL } from 'node:url';
import vue from '@vitejs/plugin-vue';
import AutoImport from 'unplugin-auto-import/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';
import Components from 'unplugin-vue-components/vite';
import { defineConfig } from 'vite';

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

/** Everything the server answers itself; the dev server forwards it so the app stays same-origin. */
const API_TARGET = 'http://localhost:3000';
const serverPaths = ['/api', '/health', '/docs', '/metrics'];

export default defineConfig({
  plugins: [
    vue(),
    // Element Plus on demand: only the components (and their CSS) the templates use are bundled.
    Components({
      dirs: [], // local components are imported explicitly
      resolvers: [ElementPlusResolver()],
      dts: src('components.d.ts'),
    }),
    // Service APIs such as ElMessage, with their styles.
    AutoImport({
      resolvers: [ElementPlusResolver()],
      dts: src('auto-imports.d.ts'),
    }),
  ],
  resolve: {
    alias: {
      // The shared package's runtime export points at an unbuilt dist; compile its sources instead.
      '@kpl/shared': fileURLToPath(new URL('../../packages/shared/src/index.ts', import.meta.url)),
      '@': src(''),
    },
  },
  define: {
    // vue-i18n feature flags: composition API only, no global <i18n-t> components, no prod devtools.
    __VUE_I18N_FULL_INSTALL__: false,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  server: {
    port: 5173,
    proxy: Object.fromEntries(serverPaths.map((path) => [path, { target: API_TARGET, changeOrigin: true }])),
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // Long-lived vendor chunks: they change far less often than app code, so they stay cached.
            {
              name: 'vue',
              test: /node_modules[\\/](@vue|vue|vue-router|pinia|vue-i18n|@intlify)[\\/]/,
              priority: 3,
            },
            {
              name: 'element-plus',
              test: /node_modules[\\/](element-plus|@element-plus|@floating-ui|@popperjs|@ctrl|@vueuse|lodash-es|lodash-unified|dayjs|async-validator|memoize-one|normalize-wheel-es)[\\/]/,
              priority: 2,
            },
            { name: 'vendor', test: /node_modules[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
});
