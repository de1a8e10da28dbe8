import { startAwsDoubles, type AwsDoubles } from '../../support/dr-harness';
import { rowName, rows, runRow } from './fault-matrix';

let aws: AwsDoubles;
beforeAll(async () => {
  aws = await startAwsDoubles();
}, 30_000);
afterAll(() => aws?.stop());

describe('failover fault matrix, Route 53 throttled once', () => {
  it.each(rows(true).map((row) => [rowName(row), row] as const))('%s', (_name, row) => runRow(aws, row), 15_000);
});
