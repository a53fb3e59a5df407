import { BadArgumentError, KaigiError } from "../errors.js";
import { attendanceCsv } from "../csv.js";
import { listParticipants } from "../store/repos/participants.js";
import { readMeeting } from "../store/repos/meetings.js";
import { oneOf, parse, required } from "./args.js";
import { EXIT_OK, type CliCommand } from "./io.js";
import { withStore } from "./store.js";

const usage = `usage:
  kaigi-guard attendance export --tenant T --meeting M --format csv|json`;

/**
 * R-ATT (MWG 6): who attended a (committee) meeting through the web meeting, with join and leave
 * times and the method, for the minutes (会議録).
 */
const exportCommand: CliCommand = (args, io) => {
  const { values } = parse(args, {
    tenant: { type: "string" },
    meeting: { type: "string" },
    format: { type: "string" },
  });
  const tenantId = required("--tenant", values.tenant);
  const meetingId = required("--meeting", values.meeting);
  const format = oneOf("--format", values.format, ["csv", "json"] as const);
  return withStore(io, async (db) => {
    const meeting = await readMeeting(db.kysely, tenantId, meetingId);
    if (!meeting)
      throw new KaigiError("MEETING_NOT_FOUND", `no meeting ${meetingId} in tenant ${tenantId}`);
    const people = await listParticipants(db.kysely, tenantId, meetingId);
    if (format === "json") {
      io.stdout(
        JSON.stringify(
          {
            meetingId,
            title: meeting.title ?? null,
            committee: meeting.committee ?? false,
            attendance: people.map((p) => ({ ...p, method: "web" })),
          },
          null,
          2,
        ) + "\n",
      );
      return EXIT_OK;
    }
    io.stdout(attendanceCsv(meeting, people));
    return EXIT_OK;
  });
};

const subcommands: Record<string, CliCommand> = { export: exportCommand };

export const runAttendance: CliCommand = ([sub, ...rest], io) => {
  const command =
    sub !== undefined && Object.hasOwn(subcommands, sub) ? subcommands[sub] : undefined;
  if (!command)
    throw new BadArgumentError(sub ?? "<subcommand>", `unknown attendance subcommand\n${usage}`);
  return command(rest, io);
};
