/**
 * The AWS doubles (moto, the Lambda endpoint) and the log tap a chaos test runs its schedules with,
 * started once for the enclosing describe block (or file) and stopped after it.
 */
import { startAwsDoubles, type AwsDoubles } from '../support/dr-harness';
import { installLogTap, type LogTap } from './log-tap';

export interface ChaosDoubles {
  readonly aws: AwsDoubles;
  readonly tap: LogTap;
}

/** Registers beforeAll/afterAll; read the doubles inside tests (they exist once beforeAll ran). */
export function useChaosDoubles(): () => ChaosDoubles {
  let doubles: { aws?: AwsDoubles; tap?: LogTap } = {};
  beforeAll(async () => {
    doubles = { aws: await startAwsDoubles(), tap: installLogTap() };
  }, 30_000);
  afterAll(async () => {
    doubles.tap?.uninstall();
    await doubles.aws?.stop();
  });
  return () => {
    if (doubles.aws === undefined || doubles.tap === undefined) throw new Error('the chaos doubles start in beforeAll: read them inside a test');
    return { aws: doubles.aws, tap: doubles.tap };
  };
}
