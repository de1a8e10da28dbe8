/**
 * Where the pages go in the tests: an SNS topic on moto with an HTTP subscription to a small server
 * on 127.0.0.1, which keeps every notification moto delivers (moto posts a topic's messages to its
 * http subscribers as SNS does: JSON with Type, Subject and Message).
 */
import { createServer, type Server } from 'node:http';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';

export interface DeliveredPage {
  readonly subject: string;
  readonly message: string;
}

export interface PageInbox {
  readonly topicArn: string;
  /** Pages delivered so far, oldest first. */
  pages(): readonly DeliveredPage[];
  /** Resolves once `count` pages have arrived, or rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<readonly DeliveredPage[]>;
  stop(): Promise<void>;
}

export async function startPageInbox(motoEndpoint: string, topicName: string): Promise<PageInbox> {
  const received: DeliveredPage[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Type?: string; Subject?: string; Message?: string };
        if (body.Type === 'Notification') received.push({ subject: body.Subject ?? '', message: body.Message ?? '' });
      } catch {
        // not a notification
      }
      res.writeHead(200);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the page inbox has no port');
  const sns = new SNSClient({ region: 'us-west-2', endpoint: motoEndpoint });
  const topic = await sns.send(new CreateTopicCommand({ Name: topicName }));
  const topicArn = topic.TopicArn as string;
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'http', Endpoint: `http://127.0.0.1:${address.port}/pages` }));
  sns.destroy();
  return {
    topicArn,
    pages: () => [...received],
    async waitFor(count, timeoutMs = 5_000) {
      const until = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} pages, got ${received.length}: ${JSON.stringify(received.map((p) => p.subject))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return [...received];
    },
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
