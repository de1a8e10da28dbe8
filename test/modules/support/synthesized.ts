import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Construct } from 'constructs';
import { ArchiveProvider } from '../../../modules/internal/archive';
import { AwsProvider } from '../../../modules/internal/aws';
import { type App, type TerraformStack, Testing, TerraformStack as Stack } from '../../../modules/internal/cdktf';
import { VaultProvider } from '../../../modules/internal/vault';

// Testing.synth writes nothing, so every test app can share one (empty) output folder instead of
// leaving a new temporary folder behind per app.
export const OUTDIR = join(tmpdir(), 'vault-dr-construct-tests');
mkdirSync(OUTDIR, { recursive: true });

export type Block = Record<string, any>;

/** A synthesized Terraform JSON document with the look-ups the tests need. */
export class Synthesized {
  constructor(readonly doc: Block) {}

  /** Every resource of a type, by logical id. */
  resources(type: string): Record<string, Block> {
    return this.doc.resource?.[type] ?? {};
  }

  dataSources(type: string): Record<string, Block> {
    return this.doc.data?.[type] ?? {};
  }

  /** The one resource of a type for which `where` holds; fails when none or several do. */
  resource(type: string, where: (body: Block) => boolean = () => true): { id: string; body: Block } {
    const found = Object.entries(this.resources(type)).filter(([, body]) => where(body));
    if (found.length !== 1) throw new Error(`expected one ${type} matching, found ${found.length}`);
    return { id: found[0]![0], body: found[0]![1] };
  }

  /** The data source a `${data.<type>.<id>.json}` reference points at. */
  dataSourceOf(reference: string): Block {
    const match = /^\$\{data\.([a-z0-9_]+)\.([A-Za-z0-9_]+)\.[a-z_]+\}$/.exec(reference);
    if (!match) throw new Error(`not a data source reference: ${reference}`);
    const body = this.dataSources(match[1]!)[match[2]!];
    if (!body) throw new Error(`no data source for ${reference}`);
    return body;
  }

  /** The resource a `${<type>.<id>.<attribute>}` reference points at. */
  resourceOf(reference: string): Block {
    const match = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_]+)\.[a-z_]+\}$/.exec(reference);
    if (!match) throw new Error(`not a resource reference: ${reference}`);
    const body = this.resources(match[1]!)[match[2]!];
    if (!body) throw new Error(`no resource for ${reference}`);
    return body;
  }
}

/** `${type.id.attribute}`, as references appear in the synthesized JSON. */
export function ref(type: string, id: string, attribute: string): string {
  return `\${${type}.${id}.${attribute}}`;
}

/** `${data.type.id.attribute}`. */
export function dataRef(type: string, id: string, attribute: string): string {
  return `\${data.${type}.${id}.${attribute}}`;
}

/** A test app (stubbed cdktf version, future flags on). */
export function testApp(): App {
  return Testing.app({ outdir: OUTDIR });
}

/** A fresh stack in a test app. */
export function testStack(id = 'test'): TerraformStack {
  return new Stack(testApp(), id);
}

/**
 * Synthesizes what `build` adds to a stack that has a default AWS provider (us-west-2), a default
 * Vault provider and a default archive provider, running the constructs' validations.
 */
export function synthesize(build: (scope: Construct) => void): Synthesized {
  const stack = testStack();
  new AwsProvider(stack, 'aws', { region: 'us-west-2' });
  new VaultProvider(stack, 'vault', { address: 'https://vault-test.example.com:8200' });
  new ArchiveProvider(stack, 'archive');
  build(stack);
  return new Synthesized(JSON.parse(Testing.synth(stack, true)));
}

/** Parses a synthesized stack that the caller built. */
export function synthesizeStack(stack: TerraformStack): Synthesized {
  return new Synthesized(JSON.parse(Testing.synth(stack, true)));
}
