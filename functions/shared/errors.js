"use strict";
/**
 * How a DR function ends without success. Every error says what was wrong, what this invocation
 * changed, the state the clusters were left in, and the single next command that gets DNS to the
 * one active primary: in its message for a human, and as structured `details` for a CLI.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.DeadlineError = exports.StepFailedError = exports.LeaseBusyError = exports.RefusedError = exports.InputError = exports.DrError = void 0;
exports.describeNext = describeNext;
function describeNext(next) {
    if (next === null)
        return 'none';
    const choose = next.choose ? ` with ${next.choose.field} set to one of ${next.choose.from.join(', ')}` : '';
    const after = next.notBefore ? ` after ${next.notBefore}` : '';
    return `invoke ${next.function} with ${JSON.stringify(next.event)}${choose}${after}: ${next.why}`;
}
function render(reason, details) {
    const changed = details.changed.length ? details.changed.join('; ') : 'nothing';
    const clusters = details.clusters.length ? ` Clusters: ${details.clusters.join('; ')}.` : '';
    const dns = details.dns ? ` DNS: ${details.dns}.` : '';
    return `${reason}. Changed: ${changed}.${clusters}${dns} Next: ${describeNext(details.next)}.`;
}
/** Base of every error the functions throw on purpose. */
class DrError extends Error {
    /** The reason alone, without the details. */
    reason;
    /** Set when the error is raised, or by the handler from what the invocation recorded. */
    details;
    /** The next command, when the raiser knows it better than the handler. */
    next;
    constructor(reason, options = {}) {
        super(reason.replace(/\.$/, ''));
        this.reason = reason.replace(/\.$/, '');
        this.next = options.next;
    }
    /** Completes the error with what the invocation changed and saw; the message then says it all. */
    attach(details) {
        this.details = { kind: this.kind, ...details };
        this.message = render(this.reason, this.details);
        return this;
    }
    /** What a Lambda error payload carries: the message, a newline, then the details as JSON. */
    payloadMessage() {
        return this.details === undefined ? this.message : `${this.message}\n${JSON.stringify(this.details)}`;
    }
}
exports.DrError = DrError;
/** The event or the configuration is malformed. Nothing was changed. */
class InputError extends DrError {
    name = 'InputError';
    kind = 'input';
    /** The event field or environment variable at fault, e.g. `operation` or `VAULT_CLUSTERS`. */
    field;
    constructor(field, problem) {
        super(`${field}: ${problem}`, { next: null });
        this.field = field;
    }
}
exports.InputError = InputError;
/** The operation could not be done safely, so it was not started (or stopped before a change). */
class RefusedError extends DrError {
    name = 'RefusedError';
    kind = 'refused';
}
exports.RefusedError = RefusedError;
/** Another operation holds the lease. Nothing was changed. */
class LeaseBusyError extends RefusedError {
    name = 'LeaseBusyError';
    kind = 'busy';
}
exports.LeaseBusyError = LeaseBusyError;
/** The operation started and a step failed. */
class StepFailedError extends DrError {
    name = 'StepFailedError';
    kind = 'step-failed';
}
exports.StepFailedError = StepFailedError;
/** The invocation's time ran out before a step could finish (or start). */
class DeadlineError extends StepFailedError {
    name = 'DeadlineError';
    kind = 'deadline';
}
exports.DeadlineError = DeadlineError;
