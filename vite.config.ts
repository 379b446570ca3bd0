import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [
		sveltekit(),
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			// The locale is chosen by a cookie the language switch sets; Vietnamese otherwise.
			strategy: ['cookie', 'baseLocale'],
			emitTsDeclarations: true
		})
	],
	optimizeDeps: { exclude: ['@electric-sql/pglite'] },
	test: {
		expect: { requireAssertions: true },
		include: ['src/**/*.{test,spec}.ts', 'tests/**/*.test.ts'],
		setupFiles: ['tests/fast-check-seed.ts'],
		environment: 'node',
		reporters: ['default', 'json'],
		outputFile: { json: '.test-reports/vitest.json' },
		// Each database test file opens its own PGlite (about 0.7 GB); keep two at a time at most.
		maxWorkers: 2,
		testTimeout: 60_000,
		hookTimeout: 120_000
	}
});
