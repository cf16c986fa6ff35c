// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { architecture, architectureRules } from './scripts/eslint/architecture-plugin.js';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
  {
    // The import boundaries of the layout (scripts/eslint/architecture-plugin.js). Tests and
    // benchmarks drive every part from outside and may import anything.
    ignores: ['test/**', 'bench/**'],
    plugins: { architecture },
    rules: architectureRules,
  },
);
