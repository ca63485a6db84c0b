/**
 * `bundling.esbuildArgs`: esbuild command-line flags, as `NodejsFunction` takes them (`{ '--log-limit': '0' }`),
 * translated into esbuild's API options. Only flags that keep one bundle per function are accepted: flags that change
 * where or how many files are written (`--outdir`, `--splitting`, `--write`, ...) would break the one-pass build, and
 * flags with a `bundling` option of their own must be set there.
 */

type Kind = 'boolean' | 'string' | 'number' | 'list';

/** Flags taking a value (`--flag=value`, or `{ '--flag': 'value' }`), by esbuild API option. */
const FLAGS: Record<string, { option: string; kind: Kind }> = {
  'legal-comments': { option: 'legalComments', kind: 'string' },
  'charset': { option: 'charset', kind: 'string' },
  'jsx': { option: 'jsx', kind: 'string' },
  'jsx-factory': { option: 'jsxFactory', kind: 'string' },
  'jsx-fragment': { option: 'jsxFragment', kind: 'string' },
  'jsx-import-source': { option: 'jsxImportSource', kind: 'string' },
  'jsx-dev': { option: 'jsxDev', kind: 'boolean' },
  'jsx-side-effects': { option: 'jsxSideEffects', kind: 'boolean' },
  'ignore-annotations': { option: 'ignoreAnnotations', kind: 'boolean' },
  'line-limit': { option: 'lineLimit', kind: 'number' },
  'log-limit': { option: 'logLimit', kind: 'number' },
  'conditions': { option: 'conditions', kind: 'list' },
  'resolve-extensions': { option: 'resolveExtensions', kind: 'list' },
  'minify-whitespace': { option: 'minifyWhitespace', kind: 'boolean' },
  'minify-identifiers': { option: 'minifyIdentifiers', kind: 'boolean' },
  'minify-syntax': { option: 'minifySyntax', kind: 'boolean' },
  'tree-shaking': { option: 'treeShaking', kind: 'boolean' },
  'preserve-symlinks': { option: 'preserveSymlinks', kind: 'boolean' },
  'packages': { option: 'packages', kind: 'string' },
};

/** Flags with a name after a colon (`--drop:console`, `--pure:console.log`, `--alias:a=b`, `--supported:bigint=false`). */
const COLON_FLAGS: Record<string, { option: string; kind: 'list' | 'map' }> = {
  'drop': { option: 'drop', kind: 'list' },
  'pure': { option: 'pure', kind: 'list' },
  'alias': { option: 'alias', kind: 'map' },
  'supported': { option: 'supported', kind: 'map' },
  'drop-labels': { option: 'dropLabels', kind: 'list' },
};

/** Flags `bundling` has an option for. */
const OWN_OPTIONS: Record<string, string> = {
  'format': 'format',
  'minify': 'minify',
  'sourcemap': 'sourceMap',
  'sources-content': 'sourcesContent',
  'keep-names': 'keepNames',
  'target': 'target',
  'external': 'externalModules',
  'define': 'define',
  'loader': 'loader',
  'banner': 'banner',
  'footer': 'footer',
  'tsconfig': 'tsconfig',
  'main-fields': 'mainFields',
  'inject': 'inject',
};

/** Translate `bundling.esbuildArgs` into esbuild API options; returns them and what is wrong. */
export function translateEsbuildArgs(args: Record<string, string> | undefined): { options: Record<string, unknown>; problems: string[] } {
  const options: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [rawKey, rawValue] of Object.entries(args ?? {})) {
    const [flag, inlineValue] = splitOnce(rawKey.replace(/^--/, ''), '=');
    const value = inlineValue ?? rawValue;
    const [name, sub] = splitOnce(flag, ':');
    const own = OWN_OPTIONS[name];
    if (own) {
      problems.push(`\`bundling.esbuildArgs\` must not set --${name}: use \`bundling.${own}\`, got "${rawKey}"`);
      continue;
    }
    if (sub !== undefined && COLON_FLAGS[name]) {
      const { option, kind } = COLON_FLAGS[name];
      if (kind === 'list') {
        options[option] = [...((options[option] as string[] | undefined) ?? []), sub];
      } else {
        const [k, v] = splitOnce(sub, '=');
        const mapValue = v ?? value;
        (options[option] as Record<string, unknown> | undefined) ?? (options[option] = {});
        (options[option] as Record<string, unknown>)[k] = option === 'supported' ? mapValue !== 'false' : mapValue;
      }
      continue;
    }
    const known = FLAGS[name];
    if (!known || sub !== undefined) {
      problems.push(`\`bundling.esbuildArgs\` keys must be esbuild flags that keep one bundle per function (${Object.keys(FLAGS).map((f) => `--${f}`).join(', ')}, ` +
        `${Object.keys(COLON_FLAGS).map((f) => `--${f}:...`).join(', ')}), got "${rawKey}"`);
      continue;
    }
    switch (known.kind) {
      case 'boolean':
        if (!['true', 'false', ''].includes(value)) {
          problems.push(`\`bundling.esbuildArgs\` "${rawKey}" must be "true" or "false", got "${value}"`);
          continue;
        }
        options[known.option] = value !== 'false';
        break;
      case 'number':
        if (!/^\d+$/.test(value)) {
          problems.push(`\`bundling.esbuildArgs\` "${rawKey}" must be a whole number, got "${value}"`);
          continue;
        }
        options[known.option] = Number(value);
        break;
      case 'list':
        options[known.option] = value.split(',').map((v) => v.trim()).filter((v) => v !== '');
        break;
      default:
        options[known.option] = value;
    }
  }
  return { options, problems };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + separator.length)];
}
