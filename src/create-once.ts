// calendar.createOnce: a create that never duplicates and never loses an event, on an API without idempotency keys.
// Before creating it looks for the same event on the lead; after a failure that may have created it, it looks again
// instead of guessing, and creates once more only when the event is certainly not there.
import { LoftyAbortError, LoftyError, LoftyValidationError } from "./errors.js";
import { delay, LONGEST_TIMER_MS } from "./transport.js";
import { fieldProblem, type FieldRule } from "./validate.js";

// At least one look-up, and a wait a timer can hold.
const LOOKUPS: FieldRule = { type: "integer", minimum: 1 };
const LOOKUP_DELAY_MS: FieldRule = { type: "integer", minimum: 0, maximum: LONGEST_TIMER_MS };

/** The event createOnce resolves with: the same fields whether it was found or created. */
export interface OnceEvent {
  /** The composite id (`<digits>-task` or `<digits>-appointment`): the `calendarId` of update, delete and finish. */
  id: string;
  type: "TASK" | "APPOINTMENT";
  content: string;
  /** The lead's id, as a decimal string with every digit. */
  leadId: string;
  startAtMs: number;
  endAtMs: number;
}

/** What createOnce resolves to: the event, and whether this call created it. */
export interface CreateOnceResult {
  event: OnceEvent;
  /** True when this call created the event (even if the answer was lost and it was found afterwards). */
  created: boolean;
}

/** The options of createOnce that shape its look-ups. */
export interface CreateOnceOptions {
  /** How long to wait before looking again after a create whose outcome is unknown (0 to 2^31 - 1). @default 1000 */
  lookupDelayMs?: number;
  /** How many times to look after such a create before deciding the event is not there (at least 1). @default 2 */
  lookups?: number;
}

/** An event as the look-up compares it: what identifies it on the lead. */
export interface EventKey {
  type: string;
  content: string;
  leadId: bigint | number;
  startAtMs: number;
  endAtMs: number;
}

/** A listed event, as far as the look-up reads it. */
interface ListedEvent {
  id: string;
  type: string;
  content?: string;
  startAt?: string;
  startAtMs?: number;
  endAt?: string;
  endAtMs?: number;
}

/** What createOnce needs from the resource: a create of the checked body, and the events of the key's lead. */
export interface CreateOnceDeps {
  key: EventKey;
  /** Sends the create once; resolves to the new event's id and type. */
  create: () => Promise<{ id: string; type: string }>;
  /** Every event of the lead around the key's times, finished ones included. */
  listAround: (key: EventKey) => AsyncIterable<ListedEvent>;
  /** The client's maxRetries: how many creates may follow the first. */
  maxRetries: number;
  /** The caller's signal: it ends the waits between look-ups too. */
  signal?: AbortSignal | undefined;
}

/**
 * Finds the event or creates it once. Refusals (a 4xx) are thrown as they are; a failure that may have created the
 * event is checked by listing, never guessed.
 */
export async function createOnce(deps: CreateOnceDeps, options: CreateOnceOptions = {}): Promise<CreateOnceResult> {
  const { key, create, maxRetries } = deps;
  // Checked before anything is sent: a look-up count that is not a number would mean never looking, and guessing.
  const lookups = integerOption("lookups", options.lookups, 2, LOOKUPS);
  const lookupDelayMs = integerOption("lookupDelayMs", options.lookupDelayMs, 1000, LOOKUP_DELAY_MS);
  const existing = await find(deps);
  if (existing) return { event: existing, created: false };
  for (let creates = 0; ; creates++) {
    let failure: LoftyError;
    try {
      const { id } = await create();
      return { event: onceEvent(key, id), created: true };
    } catch (error) {
      if (!(error instanceof LoftyError) || !error.mayHaveBeenCreated) throw error;
      failure = error;
    }
    const found = await lookAgain(deps, failure, lookups, lookupDelayMs);
    if (found) return { event: found, created: true };
    // Certainly not there: create once more, within the client's retries.
    if (creates >= maxRetries) throw failure;
  }
}

/** An option checked by its rule (an integer within a range), or its default when absent. */
function integerOption(name: string, value: number | undefined, fallback: number, rule: FieldRule): number {
  if (value === undefined) return fallback;
  const problem = fieldProblem(rule, value);
  if (problem) throw new LoftyValidationError([{ path: name, message: problem }]);
  return value;
}

/** Looks for the event after a create whose outcome is unknown: `lookups` times, `delayMs` apart. */
async function lookAgain(deps: CreateOnceDeps, failure: LoftyError, lookups: number, delayMs: number) {
  for (let lookup = 0; lookup < lookups; lookup++) {
    let found: OnceEvent | undefined;
    try {
      await delay(delayMs, deps.signal);
      if (deps.signal?.aborted) throw new LoftyAbortError("Aborted while waiting to look for the event.");
      found = await find(deps);
    } catch (cause) {
      const message = `The create failed (${failure.message}) and the look-up for the event failed too: whether the event exists is unknown. Check with calendar.list before creating it again.`;
      throw new LoftyError(message, { cause, mayHaveBeenCreated: true });
    }
    if (found) return found;
  }
  return undefined;
}

/** The lead's event with the key's type, content and times, if there is one. */
async function find({ key, listAround }: CreateOnceDeps): Promise<OnceEvent | undefined> {
  for await (const item of listAround(key)) {
    const same =
      item.type === key.type &&
      item.content === key.content &&
      instantOf(item.startAtMs, item.startAt) === key.startAtMs &&
      instantOf(item.endAtMs, item.endAt) === key.endAtMs;
    if (same) return onceEvent(key, item.id);
  }
  return undefined;
}

/** A listed time in epoch ms: the `…Ms` field, or else the ISO one (the spec makes neither required in a list item). */
function instantOf(ms: number | undefined, iso: string | undefined): number | undefined {
  if (ms !== undefined) return ms;
  return iso === undefined ? undefined : Date.parse(iso);
}

function onceEvent(key: EventKey, id: string): OnceEvent {
  const type = key.type === "TASK" ? "TASK" : "APPOINTMENT";
  const { content, startAtMs, endAtMs } = key;
  return { id, type, content, leadId: key.leadId.toString(), startAtMs, endAtMs };
}
