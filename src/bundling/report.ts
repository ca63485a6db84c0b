import * as fs from 'fs';
import * as path from 'path';
import { BundleRecord } from './cache/records';
import { tempName, writeAtomic } from './cache/verified-files';
import type { InitMeasurement } from './init-time';

/** One bundle in the report. */
export interface ReportEntry {
  /** Construct paths of the functions that use the bundle. */
  readonly functions: string[];
  /** The entry, relative to the project root. */
  readonly entry: string;
  readonly state: 'built' | 'cache' | 'failed';
  /** What the report shows of the bundle's record (not the record: the report outlives the pass). */
  readonly record?: Pick<BundleRecord, 'hash' | 'bytes' | 'gzipBytes' | 'topModules' | 'optionalImports' | 'installedModules'> & Partial<Pick<BundleRecord, 'shipInstalled'>>;
  /** The file holding the bundle's metafile slice (linked or copied into the report). */
  readonly metafile?: string;
  readonly errors: string[];
  /** The init measured in the runtime client (context `@cdk-lambda-kit/bundling:initTime`). */
  readonly init?: InitMeasurement;
}

/**
 * The bundle report of one app, written into the cloud assembly: `lambda-kit/bundle-report.md` for people,
 * `bundle-report.json` for tools, and `metafiles/<function>.json` for esbuild's bundle analyzer
 * (https://esbuild.github.io/analyze/).
 */
export class BundleReport {
  private readonly entries = new Map<string, ReportEntry>();

  /** Add (or replace) bundles in the report. */
  public add(entries: ReportEntry[]): void {
    for (const entry of entries) {
      this.entries.set(entry.functions[0], entry);
    }
  }

  /**
   * Write the report files into a directory; returns the Markdown file, and the metafile written for each bundle,
   * by its first function's construct path.
   */
  public write(dir: string): { markdown: string; metafiles: Map<string, string> } {
    const written = new Map<string, string>();
    const entries = [...this.entries.values()].sort((a, b) => (a.functions[0] < b.functions[0] ? -1 : 1));
    const metafiles = path.join(dir, 'metafiles');
    fs.mkdirSync(metafiles, { recursive: true });
    const rows = entries.map((e) => {
      const metafile = e.metafile ? `metafiles/${fileNameOf(e.functions[0])}.json` : undefined;
      if (e.metafile) {
        // The report's own copy from now on: the pass's copy is removed with the pass.
        linkOrCopy(e.metafile, path.join(dir, metafile!));
        written.set(e.functions[0], path.join(dir, metafile!));
        this.entries.set(e.functions[0], { ...e, metafile: path.join(dir, metafile!) });
      }
      return {
        functions: e.functions,
        entry: e.entry,
        state: e.state,
        hash: e.record?.hash,
        bytes: e.record?.bytes,
        gzipBytes: e.record?.gzipBytes,
        topModules: e.record?.topModules ?? [],
        // Requires esbuild could not resolve inside try/catch, left to fail inside the try at run time.
        optionalImports: e.record?.optionalImports ?? [],
        // Native packages installed beside the bundle for the function's platform.
        installedModules: e.record?.installedModules ?? [],
        // Why each of them is (a native addon is one by its name).
        installReasons: Object.fromEntries((e.record?.shipInstalled ?? []).map((s) => [s.module, s.reason])),
        metafile,
        errors: e.errors,
        ...(e.init ? { init: e.init } : {}),
      };
    });
    const withInit = rows.some((r) => r.init);
    writeAtomic(path.join(dir, 'bundle-report.json'), JSON.stringify({ bundles: rows }, undefined, 2));

    const lines = [
      '# Lambda bundles',
      '',
      'Written by cdk-lambda-kit at synth. Sizes are unzipped; gzip is the compressed main file.',
      'Load a metafile into https://esbuild.github.io/analyze/ to see everything a bundle holds.',
      'Optional: packages required inside try/catch that are not installed; the require fails inside the try at run time.',
      'Installed: what bundling cannot carry, installed beside the bundle (node_modules) for the function\'s platform: ' +
        'native packages it imports, packages that read their own data files, optional peers a package loads by name.',
      '',
      ...(withInit ? [
        `Init: each bundle started in the Lambda runtime client (aws-lambda-ric) on Node.js ${rows.find((r) => r.init)?.init?.node}, ` +
        'from its start to its first request for an invocation (Lambda\'s Init Duration), and the main thread\'s busy time; ' +
        'heavy at init: the modules the init spent most time in. Local figures: Lambda gives a function CPU in proportion to its memory.',
        '',
      ] : []),
      `| function | entry | size | gzip | source | top modules | optional | installed |${withInit ? ' init | heavy at init |' : ''} metafile |`,
      `|---|---|---:|---:|---|---|---|---|${withInit ? '---:|---|' : ''}---|`,
      ...rows.map((r) => [
        r.functions.join('<br>'),
        r.entry,
        r.bytes !== undefined ? formatBytes(r.bytes) : '-',
        r.gzipBytes !== undefined ? formatBytes(r.gzipBytes) : '-',
        r.state === 'cache' ? 'cache' : r.state,
        r.topModules.map((m) => `${m.module} ${formatBytes(m.bytes)}`).join('<br>'),
        r.optionalImports.join('<br>') || '-',
        r.installedModules.map((m) => (r.installReasons[m] ? `${m} (${r.installReasons[m]})` : m)).join('<br>') || '-',
        ...(withInit ? [formatInit(r.init), (r.init?.heavyModules ?? []).map((m) => `${m.module} ${m.ms.toFixed(1)} ms`).join('<br>')] : []),
        r.metafile ?? '-',
      ].join(' | ')).map((row) => `| ${row} |`),
      '',
    ];
    const markdown = path.join(dir, 'bundle-report.md');
    writeAtomic(markdown, lines.join('\n'));
    return { markdown, metafiles: written };
  }
}

/**
 * Put a copy of a file in place through a temporary name: a hard link when both are on one file system (metafiles
 * are never written in place, only replaced, so the two names cannot change each other), else a copy.
 */
function linkOrCopy(from: string, to: string): void {
  const tmp = tempName(to);
  try {
    fs.linkSync(from, tmp);
  } catch {
    fs.copyFileSync(from, tmp);
  }
  fs.renameSync(tmp, to);
}

/** An init measurement in a cell: `182 ms (busy 141 ms)`, or the init error. */
function formatInit(init: InitMeasurement | undefined): string {
  if (!init) {
    return '-';
  }
  const time = `${init.wallMs.toFixed(0)} ms (busy ${init.busyMs.toFixed(0)} ms)`;
  return init.error ? `${time}, init failed: ${init.error.replace(/\|/g, '\\|')}` : time;
}

/** A human size: 1.2 MB, 340.5 kB, 12 B. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) {
    return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  }
  if (bytes >= 1024) {
    return `${(bytes / 1024).toFixed(1)} kB`;
  }
  return `${bytes} B`;
}

function fileNameOf(constructPath: string): string {
  return constructPath.replace(/[^A-Za-z0-9_.-]+/g, '-');
}
