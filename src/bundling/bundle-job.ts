import { IConstruct } from 'constructs';
import { BundleRecord } from './cache';
import { ResolvedBundling } from './esbuild-options';

/** The state of one bundle: an entry with one set of options, shared by every function that asks for it. */
export class BundleJob {
  /** Functions using this bundle, in the order they registered. */
  public readonly functions: IConstruct[] = [];
  public state: 'pending' | 'built' | 'failed' | 'skipped' = 'pending';
  public record?: BundleRecord;
  public fromCache = false;
  /** Absolute path of the staged bundle directory in the cloud assembly. */
  public stagedDir?: string;
  /** The metafile slice of this bundle: its JSON when built now, or the file it is cached in. */
  public metafile?: { readonly json?: string; readonly file?: string };
  public readonly errors: string[] = [];
  public readonly warnings: string[] = [];

  constructor(public readonly id: string, public readonly resolved: ResolvedBundling, public readonly skip: boolean) {}
}
