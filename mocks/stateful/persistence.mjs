// MOCK_STATE=file.json: the stateful mock's events survive a restart. Loaded once at start; saved after each change
// by writing a temporary file next to it, flushing it to disk and renaming it over the old one, so a crash (of the
// mock or the machine) leaves either the old file or the new one, never half of one.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";

/** The marker and version of the file's format. */
const FORMAT = "lofty-calendar-mock-state";
const VERSION = 1;

/**
 * The state saved in `file` (`{ nextId, events }`), or undefined when there is no such file yet. A file that is not
 * a state the mock wrote is refused with its name and the fix, and left as it is.
 */
export function loadState(file) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if (error?.code === "ENOENT") return undefined;
    throw new Error(`MOCK_STATE: cannot read ${file}: ${error.message}`, { cause: error });
  }
  let saved;
  try {
    saved = JSON.parse(text);
  } catch (error) {
    throw new Error(`MOCK_STATE: ${file} is not JSON (${error.message}); move it away or point MOCK_STATE elsewhere`, {
      cause: error,
    });
  }
  const valid =
    saved?.format === FORMAT &&
    saved.version === VERSION &&
    Number.isSafeInteger(saved.nextId) &&
    Array.isArray(saved.events) &&
    saved.events.every((event) => typeof event?.id === "string" && Number.isSafeInteger(event.taskId));
  if (!valid) {
    throw new Error(
      `MOCK_STATE: ${file} is not a state file of this mock (format ${FORMAT} v${VERSION}); move it away or point ` +
        `MOCK_STATE elsewhere`,
    );
  }
  const highest = Math.max(0, ...saved.events.map((event) => event.taskId));
  // An id is never handed out twice, even if someone edited the file by hand.
  return { nextId: Math.max(saved.nextId, highest + 1), events: saved.events };
}

/** Writes `state` (`{ nextId, events }`) to `file` atomically: temporary file, fsync, rename. */
export function saveState(file, state) {
  const temporary = `${file}.${process.pid}.tmp`;
  const text = `${JSON.stringify({ format: FORMAT, version: VERSION, ...state }, null, 2)}\n`;
  try {
    const fd = openSync(temporary, "w");
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new Error(`MOCK_STATE: cannot save ${file}: ${error instanceof Error ? error.message : error}`, {
      cause: error,
    });
  }
}
