import type { ChannelSchedule } from '../model/channel-schedule.js';
import { typedToken } from '../model/keyword-filter.js';
import { formatTime, shorten, type Output } from './cli-output.js';
import type {
  DestinationAdded,
  DestinationSummary,
  DestinationTested,
  ScheduleChanged,
} from './destinations-command.js';

/** The test answer's body is shown up to this many characters: enough to read an error. */
const ANSWER_SHOWN = 500;

/** What was added, what it follows and, for a signed webhook, its new secret, this once. */
export function formatAdded(added: DestinationAdded): string {
  const { destination } = added;
  const verb = added.outcome === 'added' ? 'Added' : 'Updated';
  const followed = destination.follows.find((f) => f.source === added.source);
  const lines = [
    `${verb} ${destination.destination} (${destination.url}), following ${added.source}${keywordsText(followed?.keywords ?? [])}.`,
  ];
  if (added.secret !== null) {
    lines.push(
      '',
      `Signing secret: ${added.secret}`,
      added.outcome === 'added'
        ? 'It will not be shown again: give it to the receiver now to verify signatures.'
        : 'It replaces the old one and will not be shown again: give it to the receiver now.',
    );
  }
  return lines.join('\n');
}

/** One block per destination: its lines are too long for a table. */
export function formatDestinations(destinations: readonly DestinationSummary[]): string {
  if (destinations.length === 0) {
    return 'No destinations: add one with `destinations add <platform> <url> --name <name>`.';
  }
  return destinations.map(formatDestination).join('\n\n');
}

function formatDestination(d: DestinationSummary): string {
  const follows =
    d.follows.length === 0
      ? '(nothing)'
      : d.follows.map((f) => `${f.source}${keywordsText(f.keywords)}`).join(', ');
  const lines = [
    `${d.destination}${d.broken ? '  BROKEN' : ''}`,
    `  url          ${d.url}${d.signed ? ' (signed)' : ''}`,
    `  follows      ${follows}`,
    `  digest       ${digestText(d.schedule)}`,
    `  quiet hours  ${quietText(d.schedule)}`,
    `  last alert   ${d.lastAlert ? `${d.lastAlert.source} #${d.lastAlert.number} at ${formatTime(d.lastAlert.at)}` : '-'}`,
    `  undelivered  ${d.refused} refused, ${d.givenUp} given up`,
  ];
  if (d.lastProblem) {
    const p = d.lastProblem;
    lines.push(
      `  last problem ${p.kind} ${p.source} #${p.number} at ${formatTime(p.at)}: ${shorten(p.reason)}`,
    );
  }
  if (d.broken) {
    lines.push(
      `  BROKEN since ${formatTime(d.broken.since)}: ${shorten(d.broken.reason)}`,
      `               alerts wait; fix it, then \`destinations test ${d.destination}\``,
    );
  }
  return lines.join('\n');
}

/** Hides the configuration's secret values in reasons that may quote them. */
export function redactDestinations(
  out: Output,
  destinations: DestinationSummary[],
): DestinationSummary[] {
  return destinations.map((d) => ({
    ...d,
    lastProblem: d.lastProblem && { ...d.lastProblem, reason: out.redact(d.lastProblem.reason) },
    broken: d.broken && { ...d.broken, reason: out.redact(d.broken.reason) },
  }));
}

export function formatTested(tested: DestinationTested): string {
  const body = tested.body.trim();
  const shown = body.length > ANSWER_SHOWN ? `${body.slice(0, ANSWER_SHOWN - 1)}…` : body;
  return [
    `${tested.destination} took the test alert: HTTP ${tested.status}`,
    shown === '' ? '(empty body)' : shown,
  ].join('\n');
}

export function formatSchedule(changed: ScheduleChanged): string {
  return `${changed.destination}: digest ${digestText(changed.schedule)}; quiet hours ${quietText(changed.schedule)}.`;
}

function keywordsText(keywords: readonly string[]): string {
  return keywords.length === 0 ? '' : ` (keywords: ${keywords.map(typedToken).join(' ')})`;
}

function digestText(schedule: ChannelSchedule): string {
  if (!schedule.digest) return 'off (each alert at once)';
  const days = schedule.digest.weekdaysOnly ? 'on weekdays' : 'every day';
  return `${schedule.digest.times.join(', ')} ${days} (Korea time)`;
}

function quietText(schedule: ChannelSchedule): string {
  return schedule.quiet ? `${schedule.quiet.start}–${schedule.quiet.end} (Korea time)` : 'off';
}
