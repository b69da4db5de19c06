// The layering of the monorepo as rules CI runs (`npm run lint`, also a step of `npm test`), not a
// convention (in the manner of Immich's server/eslint.config.mjs). Only rules that keep the
// structure honest and catch lost promises; style is left to review.
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import tseslint from 'typescript-eslint';

/** The agent's pipeline stages: each may import `pipeline/text/`, `pipeline/ai/`, the pipeline's types and libs, never another stage. */
const STAGES = ['guard', 'understand', 'decide', 'act', 'retrieve', 'generate', 'check'];
const pipeline = './apps/agent/src/pipeline';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.tmp/**', 'data/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    settings: {
      // import-x parses the files an import leads to (no-cycle follows them) with the TypeScript
      // parser, and resolves the @cs/* aliases of tsconfig.json, so the path rules see the file an
      // alias names.
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      // A promise nobody awaits or catches loses its error (an unhandled rejection ends the process).
      // `void promise` is not enough: timers and event handlers must catch.
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: false }],
      // An async function where a callback's result is ignored (event emitters, timers, Array#forEach)
      // is a floating promise in disguise.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './apps/gateway',
              from: ['./apps/agent', './apps/connectors'],
              message: 'The gateway is the edge and holds no AI or vendor code: reach the agent and the connectors over the bus (apps/embedded composes them).',
            },
            {
              target: './libs',
              from: './apps',
              message: 'A library never imports an app: move what both need into a lib.',
            },
            {
              target: './libs/messaging',
              from: './libs/config',
              message: 'libs/config builds on libs/messaging (CoreModule takes the bus); the bus keeps what it needs, metrics included.',
            },
            ...STAGES.map((stage) => ({
              target: `${pipeline}/${stage}`,
              from: STAGES.filter((other) => other !== stage).map((other) => `${pipeline}/${other}`),
              message: 'A pipeline stage imports no other stage: shared helpers go to pipeline/text/ (or pipeline/ai/, the *.types.ts); the conductor passes results between stages.',
            })),
          ],
        },
      ],
    },
  },
);
