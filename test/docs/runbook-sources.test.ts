/**
 * docs/runbook.md gives the source of every command: each shell block has a link to HashiCorp's or
 * AWS's documentation in the text that leads to it (since the previous block or heading), and the
 * runbook links nowhere outside the repository but those documentation sites.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const RUNBOOK = readFileSync(join(__dirname, '..', '..', 'docs', 'runbook.md'), 'utf8');
const DOC_LINK = /\]\((https:\/\/(developer\.hashicorp\.com\/vault\/|docs\.aws\.amazon\.com\/)[^)\s]+)\)/;

/** Each shell block with the text since the previous block or heading. */
function blocksWithLeadText(markdown: string): Array<{ line: number; block: string; lead: string }> {
  const lines = markdown.split('\n');
  const out: Array<{ line: number; block: string; lead: string }> = [];
  let lead: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^#{1,6}\s/.test(line)) {
      lead = [line];
      continue;
    }
    if (/^\s*```(sh|shell|bash)\s*$/.test(line)) {
      const start = i;
      const body: string[] = [];
      for (i = i + 1; i < lines.length && !/^\s*```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
      out.push({ line: start + 1, block: body.join('\n'), lead: lead.join('\n') });
      lead = [];
      continue;
    }
    lead.push(line);
  }
  return out;
}

describe('docs/runbook.md', () => {
  const blocks = blocksWithLeadText(RUNBOOK);

  it('has shell blocks to check', () => {
    expect(blocks.length).toBeGreaterThan(15);
  });

  it('cites a HashiCorp or AWS documentation page for every shell block', () => {
    const uncited = blocks.filter(({ lead }) => !DOC_LINK.test(lead)).map(({ line, block }) => `line ${line}: ${block.split('\n')[0]}`);
    expect(uncited).toEqual([]);
  });

  it('links only to HashiCorp\'s and AWS\'s documentation, never outside the repository otherwise', () => {
    const links = [...RUNBOOK.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!);
    expect(links.length).toBeGreaterThan(40);
    const other = links.filter((url) => !/^https:\/\/(developer\.hashicorp\.com\/vault\/|docs\.aws\.amazon\.com\/)/.test(url));
    expect(other).toEqual([]);
    expect(RUNBOOK).not.toMatch(/shared\/reference|\/work\//);
  });

  it('states the Vault versions it applies to and the 2.x token requirement of generate-operation-token', () => {
    expect(RUNBOOK).toMatch(/applies to Vault Enterprise 1\.16 and later 1\.x releases and to 2\.x/);
    expect(RUNBOOK).toContain('https://developer.hashicorp.com/vault/docs/updates/important-changes#sys-endpoint-auth');
  });
});

describe('blocksWithLeadText', () => {
  it('gives each block the text since the previous block or heading', () => {
    const markdown = ['# A', 'see [x](https://developer.hashicorp.com/vault/docs/x)', '```sh', 'vault status', '```', 'no link here', '```sh', 'vault read', '```'].join('\n');
    expect(blocksWithLeadText(markdown).map(({ block, lead }) => [block, DOC_LINK.test(lead)])).toEqual([
      ['vault status', true],
      ['vault read', false],
    ]);
  });
});
