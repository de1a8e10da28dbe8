/**
 * Pages through the alarm topic (SNS Publish): the subject says what happened, the message carries
 * the evidence and the next command. A page that cannot be sent is reported, never thrown: the
 * watchdog's own alarms page too, from its metrics.
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { untilDeadline } from '../shared/aws-client-options';
import type { Deadline } from '../shared/deadline';

export interface Page {
  /** One line; SNS takes at most 100 characters of ASCII (the rest is cut). */
  readonly subject: string;
  readonly lines: readonly string[];
}

/** SNS subjects are ASCII without control characters, at most 100 characters. */
export function snsSubject(text: string): string {
  const ascii = text.replace(/[^\x20-\x7E]/g, '?');
  return ascii.length <= 100 ? ascii : `${ascii.slice(0, 97)}...`;
}

export interface Pager {
  /** True when the page was published (or there is no topic and nothing to send it to). */
  send(page: Page): Promise<{ readonly sent: boolean; readonly error?: string }>;
}

export function snsPager(sns: SNSClient | undefined, topicArn: string | undefined, deadline: Deadline): Pager {
  return {
    async send(page) {
      if (sns === undefined || topicArn === undefined) return { sent: false, error: 'no page topic is configured (WATCHDOG_PAGE_TOPIC_ARN); the alarms page instead' };
      try {
        await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: snsSubject(page.subject), Message: [page.subject, '', ...page.lines].join('\n') }), untilDeadline(deadline));
        return { sent: true };
      } catch (err) {
        return { sent: false, error: `${(err as Error).name}: ${(err as Error).message}` };
      }
    },
  };
}
