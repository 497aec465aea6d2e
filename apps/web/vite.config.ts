import { fileURLToPath, URL } from 'node:url';
import vue from '@vitejs/plugin-vue';
import AutoImport from 'unplugin-auto-import/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';
import Components from 'unplugin-vue-components/vite';
import { defineConfig, type Plugin } from 'vite';

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

/** Everything the server answers itself; the dev server forwards it so the app stays same-origin. */
const API_TARGET = 'http://localhost:3000';
const serverPaths = ['/api', '/health', '/docs', '/metrics'];

/** Element Plus and the libraries that come with it. */
const ELEMENT_PLUS =
  /node_modules[\\/](element-plus|@element-plus|@floating-ui|@popperjs|@ctrl|@vueuse|lodash-es|lodash-unified|dayjs|async-validator|memoize-one|normalize-wheel-es)[\\/]/;
/** Element Plus's own components, locales and styles (their helpers come along as dependencies). */
const ELEMENT_PLUS_PARTS = /node_modules[\\/]element-plus[\\/](es[\\/](components|locale)|theme-chalk)[\\/]/;
/** Components only console pages use: with their CSS, they stay out of the chunk the app starts with. */
const CONSOLE_COMPONENTS = [
  'table', 'table-column', 'tree', 'tree-select', 'select', 'option', 'option-group', 'pagination',
  'upload', 'progress', 'steps', 'step', 'message-box', 'checkbox', 'radio', 'switch', 'date-picker',
  'date-picker-panel', 'time-picker', 'input-number', 'loading', 'text', 'tabs', 'tab-pane',
  'radio-group', 'radio-button', 'checkbox-group', 'slider', 'collapse', 'collapse-item',
].join('|');
const CONSOLE_ONLY = new RegExp(
  `node_modules[\\\\/](dayjs[\\\\/]|element-plus[\\\\/](es[\\\\/]components[\\\\/](${CONSOLE_COMPONENTS})[\\\\/]|theme-chalk[\\\\/]el-(${CONSOLE_COMPONENTS})\\.css))`,
);
const CONSOLE_CHUNK = 'element-plus-console';
/** Start-up code and the pages every learner sees. */
const SHELL_MODULE = /[\\/]src[\\/](main\.ts|layouts[\\/]PortalLayout\.vue|pages[\\/](LoginPage\.vue|portal[\\/]))/;

/**
 * Fails the build when the start-up code or a learner page would load the console-only Element Plus
 * chunk, i.e. when one of them starts using a component listed in CONSOLE_COMPONENTS.
 */
function keepConsoleChunkLazy(): Plugin {
  return {
    name: 'kpl:keep-console-chunk-lazy',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map(Object.values(bundle).flatMap((c) => (c.type === 'chunk' ? [[c.fileName, c] as const] : [])));
      for (const start of chunks.values()) {
        if (!SHELL_MODULE.test(start.facadeModuleId ?? '')) continue;
        const seen = new Set<string>();
        const pending = [start.fileName];
        for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
          const chunk = chunks.get(file);
          if (!chunk || seen.has(file)) continue;
          seen.add(file);
          if (chunk.name === CONSOLE_CHUNK) {
            this.error(`${start.facadeModuleId} statically loads the ${CONSOLE_CHUNK} chunk: take the component it uses off CONSOLE_COMPONENTS.`);
          }
          pending.push(...chunk.imports);
        }
      }
    },
  };
}

export default defineConfig({
  plugins: [
    vue(),
    keepConsoleChunkLazy(),
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
            // Element Plus in two chunks: the shell's components (sign-in, layouts, portal) start with the
            // app; what only the console pages use (tables, trees, uploads, date pickers…) loads with them.
            { name: 'element-plus', test: (id) => ELEMENT_PLUS_PARTS.test(id) && !CONSOLE_ONLY.test(id), priority: 2 },
            { name: CONSOLE_CHUNK, test: ELEMENT_PLUS, priority: 2 },
            // Charts are console-only and large: their own chunk, loaded with the page that draws one.
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender|vue-echarts)[\\/]/, priority: 2 },
            { name: 'vendor', test: /node_modules[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
});
