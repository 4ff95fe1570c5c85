export const GROUP_LABELS = [
  "Today",
  "Yesterday",
  "Previous 7 days",
  "Previous 30 days",
  "Older",
] as const;

export type GroupLabel = (typeof GROUP_LABELS)[number];

export interface Group<T> {
  label: GroupLabel;
  items: T[];
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "numeric",
      day: "numeric",
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** A time zone name the runtime accepts, or UTC. Cookie values are untrusted input. */
export function validTimeZone(value: string | null | undefined): string {
  if (!value || value.length > 64) return "UTC";
  try {
    formatter(value);
    return value;
  } catch {
    return "UTC";
  }
}

/** The calendar day of `date` in `timeZone`, as a count of days: only differences matter. */
export function calendarDay(date: Date, timeZone: string): number {
  const parts = formatter(timeZone).formatToParts(date);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Math.floor(Date.UTC(part("year"), part("month") - 1, part("day")) / 86_400_000);
}

export function groupLabel(date: Date, now: Date, timeZone: string): GroupLabel {
  const days = calendarDay(now, timeZone) - calendarDay(date, timeZone);
  if (days <= 0) return "Today";
  if (days === 1) return "Yesterday";
  if (days <= 7) return "Previous 7 days";
  if (days <= 30) return "Previous 30 days";
  return "Older";
}

/**
 * Conversations grouped by the calendar day of their last activity, in the reader's time zone
 * (a conversation from 23:30 yesterday is "Yesterday", not "Today", 40 minutes later). Groups
 * come in fixed order and keep the items' order within them.
 */
export function groupByRecency<T extends { updatedAt: string }>(
  items: readonly T[],
  now: Date,
  timeZone: string,
): Group<T>[] {
  const buckets = new Map<GroupLabel, T[]>();
  for (const item of items) {
    const date = new Date(item.updatedAt);
    const label = Number.isNaN(date.getTime()) ? "Older" : groupLabel(date, now, timeZone);
    const bucket = buckets.get(label);
    if (bucket) bucket.push(item);
    else buckets.set(label, [item]);
  }
  return GROUP_LABELS.flatMap((label) => {
    const bucket = buckets.get(label);
    return bucket ? [{ label, items: bucket }] : [];
  });
}
