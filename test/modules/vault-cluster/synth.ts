import { Testing } from '../../../modules/internal/cdktf';
import type { Construct } from 'constructs';

/** A synthesized stack: the JSON string (for the cdktf matchers) and the parsed document. */
export interface Synthesized {
  readonly json: string;
  readonly doc: TerraformDocument;
}

export interface TerraformDocument {
  readonly resource?: Record<string, Record<string, Record<string, any>>>;
  readonly data?: Record<string, Record<string, Record<string, any>>>;
}

export function synth(build: (scope: Construct) => void): Synthesized {
  const json = Testing.synthScope(build);
  return { json, doc: JSON.parse(json) as TerraformDocument };
}

/** Every resource of a type, as [logical id, body]. */
export function resources(doc: TerraformDocument, type: string): Array<[string, Record<string, any>]> {
  return Object.entries(doc.resource?.[type] ?? {});
}

/** The one resource of a type (fails the test when there are none or several). */
export function single(doc: TerraformDocument, type: string): { id: string; body: Record<string, any> } {
  const found = resources(doc, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return { id: found[0][0], body: found[0][1] };
}

/** The resource of a type whose logical id contains `fragment`. */
export function byId(doc: TerraformDocument, type: string, fragment: string): { id: string; body: Record<string, any> } {
  const found = resources(doc, type).filter(([id]) => id.includes(fragment));
  if (found.length !== 1) throw new Error(`expected one ${type} with "${fragment}" in its id, found ${found.length}`);
  return { id: found[0][0], body: found[0][1] };
}

/** `${type.id.attribute}`: how a reference appears in the synthesized JSON. */
export function ref(type: string, id: string, attribute: string): string {
  return '${' + `${type}.${id}.${attribute}` + '}';
}

/** The parsed policy of a policy-string attribute. */
export function policy(body: Record<string, any>, attribute = 'policy'): { Statement: Array<Record<string, any>> } {
  return JSON.parse(body[attribute]);
}

export function statement(doc: { Statement: Array<Record<string, any>> }, sid: string): Record<string, any> {
  const found = doc.Statement.find((s) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid} in ${doc.Statement.map((s) => s.Sid).join(', ')}`);
  return found;
}
