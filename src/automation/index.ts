/**
 * @module automation
 * Hands reelwright a folder or a schedule and walks away: the inbox watcher (`watchInbox`, with `resolveInboxJob` for
 * per-file templates), the foreground cron scheduler (`runOnSchedule`), the one-line run summary, and what happens
 * after a run (`sendNotification` to a webhook, `runOnComplete` for a local hook). Every function takes the run itself
 * as a callback, so this module never builds adapters or calls `runBatch`; the CLI wires them together. A failed
 * notification or hook never fails a run, and nothing here ever passes dataset values to a shell.
 */
export { watchInbox, DEFAULT_STABLE_MS, DEFAULT_POLL_MS, INBOX_FOLDERS, SUMMARY_SUFFIX, REPORT_SUFFIX, FILING_SUFFIX } from './watch-inbox.js';
export type {
  WatchInboxOptions,
  InboxWatcher,
  InboxFileResult,
  InboxFileContext,
  OnInboxFile,
  InboxEvent,
  OnInboxEvent,
  InboxFiling,
  OnInboxFiled,
} from './watch-inbox.js';
export { resolveInboxJob, MAX_SIDECAR_BYTES, TEMPLATE_NAME_SEPARATOR } from './resolve-inbox-job.js';
export type { ResolveInboxJobOptions, InboxJob, InboxTemplateSource } from './resolve-inbox-job.js';
export { isInboxDataFile, INBOX_DATA_EXTENSIONS, INBOX_PARTIAL_SUFFIXES, SIDECAR_SUFFIX } from './is-inbox-data-file.js';
export { acquireInboxLock, INBOX_LOCK_NAME } from './acquire-inbox-lock.js';
export type { AcquireInboxLockOptions, InboxLock } from './acquire-inbox-lock.js';
export { runOnSchedule } from './run-on-schedule.js';
export type { RunOnScheduleOptions, ScheduleHandle, ScheduledRun, OnScheduledSummary } from './run-on-schedule.js';
export { formatSummaryLine, SUMMARY_RUN_ID_LENGTH } from './format-summary-line.js';
export {
  sendNotification,
  DEFAULT_NOTIFY_ATTEMPTS,
  DEFAULT_NOTIFY_BASE_DELAY_MS,
  DEFAULT_NOTIFY_MAX_DELAY_MS,
  DEFAULT_NOTIFY_TIMEOUT_MS,
  NOTIFY_USER_AGENT,
} from './send-notification.js';
export type { SendNotificationOptions, SendNotificationResult } from './send-notification.js';
export { signNotification, SIGNATURE_HEADER, TIMESTAMP_HEADER, DELIVERY_HEADER } from './sign-notification.js';
export type { SignNotificationOptions } from './sign-notification.js';
export { verifyNotificationSignature, DEFAULT_SIGNATURE_TOLERANCE_MS } from './verify-notification-signature.js';
export type { VerifyNotificationSignatureOptions, VerifyNotificationSignatureResult } from './verify-notification-signature.js';
export {
  runOnComplete,
  DEFAULT_ON_COMPLETE_TIMEOUT_MS,
  DEFAULT_ON_COMPLETE_KILL_GRACE_MS,
  ON_COMPLETE_OUTPUT_TAIL_BYTES,
} from './run-on-complete.js';
export type { RunOnCompleteOptions, RunOnCompleteResult } from './run-on-complete.js';
export { parseCommandLine } from './parse-command-line.js';
