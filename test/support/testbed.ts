/**
 * Jest wiring for the function tests: the AWS doubles once per file, and either one DR world for
 * the whole file or a fresh one per test (stopped after it).
 */
import { createDrWorld, startAwsDoubles, type AwsDoubles, type AwsDoublesOptions, type DrWorld, type DrWorldOptions } from './dr-harness';

export interface Testbed {
  /** The file's AWS doubles (moto, Route 53 fault proxy, Lambda endpoint). */
  readonly aws: AwsDoubles;
}

function awsForFile(options: AwsDoublesOptions = {}): { get(): AwsDoubles } {
  let aws: AwsDoubles | undefined;
  beforeAll(async () => {
    aws = await startAwsDoubles(options);
  }, 30_000);
  afterAll(() => aws?.stop());
  return {
    get() {
      if (!aws) throw new Error('the AWS doubles are not started (use the testbed inside a test)');
      return aws;
    },
  };
}

/** One world shared by every test of the file. */
export function sharedWorld(options: DrWorldOptions = {}): Testbed & { readonly world: DrWorld } {
  const aws = awsForFile();
  let world: DrWorld | undefined;
  beforeAll(async () => {
    world = await createDrWorld(aws.get(), options);
  }, 30_000);
  afterAll(() => world?.stop());
  return {
    get aws() {
      return aws.get();
    },
    get world() {
      if (!world) throw new Error('the world is not created yet');
      return world;
    },
  };
}

/** A fresh world per test: `create()` inside the test; it is stopped after the test. */
export function freshWorlds(awsOptions: AwsDoublesOptions = {}): Testbed & { create(options?: DrWorldOptions): Promise<DrWorld> } {
  const aws = awsForFile(awsOptions);
  const created: DrWorld[] = [];
  afterEach(async () => {
    await Promise.all(created.splice(0).map((w) => w.stop()));
    aws.get().route53Proxy.clear();
  });
  return {
    get aws() {
      return aws.get();
    },
    async create(options = {}) {
      const world = await createDrWorld(aws.get(), options);
      created.push(world);
      return world;
    },
  };
}
