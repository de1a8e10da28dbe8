/**
 * sys/replication/status, sys/replication/dr/status and sys/replication/performance/status (no
 * token, answered on every mode: "The status endpoints do not need a token", docs monitor page).
 * Vault puts the status both in `data` and at the top level of the answer; the simulator does too,
 * so a client reading either place sees the same thing.
 */
import { NO_AUTH } from '../auth';
import { envelope } from '../envelope';
import { type Route, exact } from '../router';

export const drStatusRoute: Route = {
  match: exact('sys/replication/dr/status'),
  auth: () => NO_AUTH,
  operations: {
    read: ({ cluster }) => {
      const data = cluster.drStatus();
      return { status: 200, body: { ...data, ...envelope({ data }) } };
    },
  },
};

export const performanceStatusRoute: Route = {
  match: exact('sys/replication/performance/status'),
  auth: () => NO_AUTH,
  operations: {
    read: ({ cluster }) => {
      const data = cluster.performanceStatus();
      return { status: 200, body: { ...data, ...envelope({ data }) } };
    },
  },
};

export const replicationStatusRoute: Route = {
  match: exact('sys/replication/status'),
  auth: () => NO_AUTH,
  operations: {
    read: ({ cluster }) => {
      const data = { dr: cluster.drStatus(), performance: cluster.performanceStatus() };
      return { status: 200, body: { ...data, ...envelope({ data }) } };
    },
  },
};
