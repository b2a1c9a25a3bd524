// Lint: typescript-eslint's recommended rules, plus the layering rule that keeps the core
// (everything but the VS Code adapter, the views and the extension entry) free of `vscode`,
// so it runs and is tested in plain Node.
import tseslint from 'typescript-eslint';

const noVscode = {
  'no-restricted-imports': ['error', {
    paths: [{ name: 'vscode', message: 'The core must not import vscode: put editor code in src/vscode or src/views.' }],
  }],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', '.test-work/**', 'demo/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  { files: ['src/common/**', 'src/config/**', 'src/client/**', 'src/router/**', 'src/policy/**', 'src/trace/**', 'src/cli/**', 'src/gateway/**'], rules: noVscode },
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], languageOptions: { globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly' } } },
);
